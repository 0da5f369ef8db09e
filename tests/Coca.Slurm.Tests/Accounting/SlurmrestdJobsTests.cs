using Coca.Slurm.Accounting;

namespace Coca.Slurm.Tests.Accounting;

public class SlurmrestdJobsTests
{
    // Shapes from the slurmdb v0.0.38 (Slurm 22.05) and v0.0.40 (23.11+) OpenAPI schemas, trimmed to the fields read.
    private const string V0038 = """
        {"meta": {"plugin": {"type": "openapi/dbv0.0.38"}}, "errors": [],
         "jobs": [
          {"job_id": 4242, "name": "train", "user": "alice", "group": "ml", "account": "proj", "partition": "gpu", "nodes": "n[1-2]",
           "state": {"current": "COMPLETED", "reason": "None"}, "exit_code": {"status": "SUCCESS", "return_code": 0},
           "time": {"elapsed": 3600, "submission": 1767225600, "start": 1767225660, "end": 1767229260},
           "array": {"job_id": 0, "task_id": null}, "tres": {"allocated": [{"type": "cpu", "count": 16}, {"type": "gres", "name": "gpu", "count": 4}]}},
          {"job_id": 4250, "name": "sweep", "user": "bob", "state": {"current": "CANCELLED by 1001"},
           "exit_code": {"status": "SIGNALED", "return_code": 0, "signal": {"id": 15, "name": "TERM"}},
           "time": {"elapsed": 0, "submission": 1767225600, "start": 0, "end": 1767225700}, "array": {"job_id": 4249, "task_id": 1}}
         ]}
        """;

    private const string V0040 = """
        {"jobs": [
          {"job_id": 9001, "name": "eval", "user": "carol", "account": "proj", "partition": "gpu", "nodes": "g07",
           "state": {"current": ["FAILED"], "reason": "NonZeroExitCode"},
           "exit_code": {"status": ["ERROR"], "return_code": {"set": true, "infinite": false, "number": 3}, "signal": {"id": {"set": false, "number": 0}}},
           "time": {"elapsed": 120, "submission": 1767225600, "start": 1767225601, "end": 1767225721},
           "array": {"job_id": 9000, "task_id": {"set": true, "infinite": false, "number": 7}},
           "tres": {"allocated": [{"type": "gres", "name": "gpu:a100", "id": 1001, "count": 2}]}},
          {"name": "no id"}
         ]}
        """;

    [Fact]
    public void Reads_the_22_05_v0_0_38_shape()
    {
        var (jobs, problems) = SlurmrestdJobs.Parse(V0038);
        Assert.Empty(problems);
        var train = jobs[0];
        Assert.Equal(("4242", "4242", "alice", "COMPLETED", 4, "0:0", 3600L), (train.JobIdRaw, train.JobId, train.User!, train.State!, train.Gpus!.Value, train.ExitCode!, train.ElapsedS!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225660), train.Start);
        var sweep = jobs[1];
        Assert.Equal(("4249_1", "CANCELLED", "0:15"), (sweep.JobId, sweep.State!, sweep.ExitCode!));
        Assert.Null(sweep.Start);
    }

    [Fact]
    public void Reads_the_v0_0_40_shape_with_set_number_values_and_state_arrays()
    {
        var (jobs, problems) = SlurmrestdJobs.Parse(V0040);
        var eval = Assert.Single(jobs);
        Assert.Equal(("9001", "9000_7", "9000", 7, "FAILED", "3:0", 2), (eval.JobIdRaw, eval.JobId, eval.ArrayJobId!, eval.ArrayTaskId!.Value, eval.State!, eval.ExitCode!, eval.Gpus!.Value));
        Assert.Contains("no job_id", Assert.Single(problems));
    }

    [Fact]
    public void Errors_of_slurmrestd_are_reported()
    {
        var (jobs, problems) = SlurmrestdJobs.Parse("""{"errors": [{"description": "Unable to query jobs", "error_number": 1}], "jobs": []}""");
        Assert.Empty(jobs);
        Assert.Contains("Unable to query jobs", Assert.Single(problems));
    }

    [Fact]
    public void Reads_the_seff_fields_it_has_time_limit_cpu_time_cpus_memory_work_dir_submit_line_and_steps()
    {
        const string json = """
            {"jobs": [
              {"job_id": 77, "name": "train", "working_directory": "/home/a/p", "submit_line": "sbatch --lr=0.1 train.sh",
               "time": {"elapsed": 600, "limit": {"set": true, "infinite": false, "number": 60}, "total": {"seconds": 4800, "microseconds": 500000}},
               "tres": {"allocated": [{"type": "cpu", "count": 8}], "requested": [{"type": "cpu", "count": 8}, {"type": "mem", "count": 16384}]},
               "steps": [{"step": {"name": "extern"}}, {"step": {"name": "batch"}}]},
              {"job_id": 78, "name": "jupyter", "time": {"limit": {"set": true, "infinite": true, "number": 0}},
               "steps": [{"step": {"name": "interactive"}}]},
              {"job_id": 79, "name": "pending", "time": {"limit": -5}}
             ]}
            """;
        var (jobs, problems) = SlurmrestdJobs.Parse(json);
        Assert.Empty(problems);
        var j = jobs[0];
        Assert.Equal((3600L, 4800.5, 8, 16L << 30), (j.TimelimitS!.Value, j.TotalCpuS!.Value, j.AllocCpus!.Value, j.ReqMemBytes!.Value));
        Assert.Equal(("/home/a/p", "sbatch --lr=0.1 train.sh", false), (j.WorkDir!, j.SubmitLine!, j.Interactive!.Value));
        Assert.Equal(((long?)null, true), (jobs[1].TimelimitS, jobs[1].Interactive!.Value));
        Assert.Equal(((long?)null, (bool?)null, (double?)null), (jobs[2].TimelimitS, jobs[2].Interactive, jobs[2].TotalCpuS));
    }
}
