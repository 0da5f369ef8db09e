using Coca.Core.Jobs;

namespace Coca.Core.Tests.Jobs;

public class JobTagsTests
{
    [Fact]
    public void Pairs_are_read_in_order_with_lowercase_keys()
    {
        var tags = JobTags.Parse("Model=ResNet50 task=train");
        Assert.Equal([new("model", "ResNet50"), new("task", "train")], tags);
        Assert.Equal(" model=ResNet50 task=train ", JobTags.Column("Model=ResNet50 task=train"));
    }

    [Theory]
    [InlineData("model=a,task=b")]
    [InlineData("model=a;task=b")]
    [InlineData("  model=a ,; task=b  ")]
    public void Commas_semicolons_and_spaces_separate_pairs(string comment)
    {
        Assert.Equal(" model=a task=b ", JobTags.Column(comment));
    }

    [Fact]
    public void The_first_value_of_a_repeated_key_is_kept()
    {
        Assert.Equal(" model=a ", JobTags.Column("model=a MODEL=b model=c"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("just a comment")]
    [InlineData("=x")]
    [InlineData("model= task")]
    [InlineData("x:model=a")]
    public void A_comment_without_pairs_has_no_tags(string? comment)
    {
        Assert.Empty(JobTags.Parse(comment));
        Assert.Null(JobTags.Column(comment));
    }

    [Fact]
    public void Junk_around_pairs_is_ignored()
    {
        Assert.Equal(" model=resnet50 ", JobTags.Column("rerun of yesterday: model=resnet50 (again) x:y=z"));
    }

    [Fact]
    public void Overlong_keys_or_values_are_dropped_and_at_most_32_tags_are_kept()
    {
        var longValue = new string('v', JobTags.MaxLength + 1);
        Assert.Equal(" b=1 ", JobTags.Column($"a={longValue} b=1"));
        var many = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"k{i}=v"));
        Assert.Equal(JobTags.MaxTags, JobTags.Parse(many).Count);
    }

    [Fact]
    public void A_filter_is_one_pair_and_its_needle_matches_only_that_pair()
    {
        Assert.True(JobTags.TryFilter("Model=resnet50", out var needle));
        Assert.Equal(" model=resnet50 ", needle);
        Assert.Contains(needle, JobTags.Column("task=train model=resnet50")!, StringComparison.Ordinal);
        Assert.DoesNotContain(needle, JobTags.Column("model=resnet500")!, StringComparison.Ordinal);
        Assert.DoesNotContain(needle, JobTags.Column("xmodel=resnet50")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("model")]
    [InlineData("model=")]
    [InlineData("a=1 b=2")]
    [InlineData("model=a,b")]
    [InlineData("x:model=a")]
    public void A_filter_that_is_not_one_pair_is_refused(string text)
    {
        Assert.False(JobTags.TryFilter(text, out _));
    }

    [Fact]
    public void A_value_is_read_back_by_key()
    {
        var column = JobTags.Column("model=resnet50 task=train");
        Assert.Equal("resnet50", JobTags.Value(column, "model"));
        Assert.Equal("train", JobTags.Value(column, "Task"));
        Assert.Null(JobTags.Value(column, "seed"));
        Assert.Null(JobTags.Value(null, "model"));
    }
}
