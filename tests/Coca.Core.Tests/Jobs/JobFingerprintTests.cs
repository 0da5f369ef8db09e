using Coca.Core.Jobs;

namespace Coca.Core.Tests.Jobs;

public class JobFingerprintTests
{
    [Theory]
    [InlineData("sbatch --lr=0.1 train.sh", "sbatch --lr=0.001 train.sh")]
    [InlineData("python train.py --lr 0.1 --seed 3", "python train.py --lr 3e-4 --seed 42")]
    [InlineData("python train.py --lr 1e-3 --momentum -0.5", "python train.py --lr 5E-4 --momentum -0.9")]
    [InlineData("sbatch -n 4 train.sh", "sbatch -n 16 train.sh")]
    [InlineData("python train.py seed=3 lr=0.1", "python train.py seed=7 lr=0.2")]
    [InlineData("python train.py --optimizer adam", "python train.py --optimizer sgd")]
    [InlineData("python  train.py   --seed 1", "python train.py --seed 2")]
    public void Submit_lines_that_differ_only_in_values_and_seeds_share_a_fingerprint(string a, string b)
    {
        Assert.Equal(JobFingerprint.Of("train", a, "/home/u/p"), JobFingerprint.Of("train", b, "/home/u/p"));
    }

    [Theory]
    [InlineData("sweep_lr0.01_s3", "sweep_lr0.1_s42")]
    [InlineData("run-1", "run-27")]
    [InlineData("bert_1e-5", "bert_3e-5")]
    [InlineData("exp_-3", "exp_+4")]
    public void Names_that_differ_only_in_numbers_share_a_fingerprint(string a, string b)
    {
        Assert.Equal(JobFingerprint.Of(a, null, null), JobFingerprint.Of(b, null, null));
    }

    [Theory]
    [InlineData("sbatch train.sh", "sbatch eval.sh")]
    [InlineData("sbatch --exclusive train.sh", "sbatch --exclusive eval.sh")]
    [InlineData("python -u train.py --lr 0.1", "python -u eval.py --lr 0.1")]
    [InlineData("srun --pty ./train", "srun --pty ./eval")]
    [InlineData("python Train.py", "python train.py")]
    [InlineData("python train.py --lr 0.1", "python train.py --wd 0.1")]
    public void Different_scripts_or_options_do_not_share_a_fingerprint(string a, string b)
    {
        Assert.NotEqual(JobFingerprint.Of("job", a, "/w"), JobFingerprint.Of("job", b, "/w"));
    }

    [Fact]
    public void The_work_directory_and_the_name_count()
    {
        Assert.NotEqual(JobFingerprint.Of("train", "sbatch run.sh", "/home/a/vision"), JobFingerprint.Of("train", "sbatch run.sh", "/home/a/nlp"));
        Assert.NotEqual(JobFingerprint.Of("train", "sbatch run.sh", "/w"), JobFingerprint.Of("eval", "sbatch run.sh", "/w"));
        // Numbered run directories of one sweep group together.
        Assert.Equal(JobFingerprint.Of("train", null, "/scratch/runs/7"), JobFingerprint.Of("train", null, "/scratch/runs/12"));
    }

    [Fact]
    public void The_three_texts_do_not_run_into_each_other()
    {
        Assert.NotEqual(JobFingerprint.Of("a b", null, null), JobFingerprint.Of("a", "b", null));
    }

    [Fact]
    public void A_job_with_nothing_to_go_on_has_fingerprint_zero_and_any_other_never_does()
    {
        Assert.Equal(0, JobFingerprint.Of(null, null, null));
        Assert.Equal(0, JobFingerprint.Of("", "", ""));
        Assert.NotEqual(0, JobFingerprint.Of("x", null, null));
        Assert.NotEqual(0, JobFingerprint.Of(null, "   ", "/"));
    }

    [Fact]
    public void The_normalised_text_is_what_the_doc_comment_says()
    {
        Assert.Equal("sweep_lr#_s#\npython train.py --lr=* --seed=* seed=* -n=*\n/scratch/run#",
            JobFingerprint.Normalise("sweep_lr0.01_s3", "python  train.py --lr 0.1 --seed=3 seed=4 -n 4", "/scratch/run7"));
    }

    [Fact]
    public void The_hash_is_fnv1a_64_of_the_utf8_text()
    {
        // FNV-1a 64 of "\n\n" (name, submit line and work dir all blank but one of them given as white space).
        ulong hash = 14695981039346656037;
        foreach (var b in "a\n\n"u8.ToArray())
        {
            hash ^= b;
            hash *= 1099511628211;
        }
        Assert.Equal((long)hash, JobFingerprint.Of("a", null, null));
    }

    [Theory]
    [InlineData(0L, "0000000000000000")]
    [InlineData(255L, "00000000000000ff")]
    [InlineData(-1L, "ffffffffffffffff")]
    [InlineData(long.MinValue, "8000000000000000")]
    public void Format_is_sixteen_lowercase_hex_digits_and_parses_back(long value, string text)
    {
        Assert.Equal(text, JobFingerprint.Format(value));
        Assert.True(JobFingerprint.TryParse(text, out var back));
        Assert.Equal(value, back);
        Assert.True(JobFingerprint.TryParse(text.ToUpperInvariant(), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0x10")]
    [InlineData("-1")]
    [InlineData("00000000000000000")]
    public void A_bad_fingerprint_does_not_parse(string? text)
    {
        Assert.False(JobFingerprint.TryParse(text, out _));
    }
}
