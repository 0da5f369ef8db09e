using Coca.Core.Jobs;
using Coca.Slurm.Jobs;

namespace Coca.Slurm.Tests.Jobs;

public class RecordJobIdTests
{
    [Theory]
    [InlineData("123")]
    [InlineData("123_4")]
    [InlineData("123+1")]
    [InlineData("123.0")]
    [InlineData("123.batch")]
    [InlineData("123_4.extern")]
    public void Slurm_job_id_forms_are_valid(string id) => Assert.True(JobId.IsValid(id, JobIdForms.Job | JobIdForms.Steps));

    [Theory]
    [InlineData("")]
    [InlineData("../escaped")]
    [InlineData("..")]
    [InlineData("12/3")]
    [InlineData("123_")]
    [InlineData("_4")]
    [InlineData("123+1+2")]
    [InlineData("123.")]
    [InlineData("abc")]
    [InlineData("123\0")]
    [InlineData("-1")]
    [InlineData("1234567890123456789")]
    public void Anything_else_is_not_a_job_id(string id) => Assert.False(JobId.IsValid(id, JobIdForms.Job | JobIdForms.Steps));
}
