using Coca.Core.Jobs;

namespace Coca.Core.Tests.Jobs;

public class JobIdTests
{
    [Theory]
    [InlineData("123", "123", null, null, null)]
    [InlineData("123_4", "123", "4", null, null)]
    [InlineData("123+1", "123", null, "1", null)]
    [InlineData("4294967294", "4294967294", null, null, null)]
    public void Slurms_job_forms_parse(string text, string number, string? task, string? het, string? step)
    {
        Assert.True(JobId.TryParse(text, out var id));
        Assert.Equal((number, task, het, step), (id!.Number, id.ArrayTask, id.HetComponent, id.Step));
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("123.batch", "123", "batch")]
    [InlineData("123.extern", "123", "extern")]
    [InlineData("123.0", "123", "0")]
    [InlineData("123_4.batch", "123_4", "batch")]
    [InlineData("7+1.0", "7", "0")]
    public void Steps_parse_only_where_steps_are_accepted(string text, string job, string step)
    {
        Assert.False(JobId.IsValid(text));
        Assert.True(JobId.TryParse(text, out var id, JobIdForms.Steps));
        Assert.Equal((job, step), (id!.Job, id.Step!));
    }

    [Fact]
    public void Pending_array_ranges_parse_only_where_ranges_are_accepted()
    {
        Assert.False(JobId.IsValid("100_[3-5%2]"));
        Assert.True(JobId.TryParse("100_[3-5%2]", out var id, JobIdForms.ArrayRanges));
        Assert.Equal("100_[3-5%2]", id!.Job);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../escaped")]
    [InlineData("1/../../etc")]
    [InlineData("123 ")]
    [InlineData(" 123")]
    [InlineData("12\u00003")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("123_")]
    [InlineData("123+")]
    [InlineData("123.")]
    [InlineData("123..0")]
    [InlineData("12345678901")]
    [InlineData("١٢٣")]
    [InlineData("123.batch/../x")]
    public void Anything_else_is_refused_and_described_without_control_characters(string? text)
    {
        Assert.False(JobId.TryParse(text, out var id, JobIdForms.Steps | JobIdForms.ArrayRanges));
        Assert.Null(id);
        Assert.DoesNotContain('\0', JobId.Describe(text));
    }

    [Fact]
    public void A_megabyte_id_is_refused_and_its_description_stays_short()
    {
        var huge = new string('1', 1 << 20);
        Assert.False(JobId.IsValid(huge));
        Assert.True(JobId.Describe(huge).Length < 100);
    }
}
