namespace Coca.Core.Analysis;

/// <summary>The behaviours Coca4ai names, as the JSON and the CLI spell them (a contract), with the tip each one gives.</summary>
public static class BehaviourKind
{
    public const string FailedEarly = "failed_early";
    public const string FailedLate = "failed_late";
    public const string CrashLoop = "crash_loop";
    public const string Sweep = "sweep";
    public const string ZeroGpu = "zero_gpu";
    public const string LowGpu = "low_gpu";
    public const string UnusedGpus = "unused_gpus";
    public const string IdleInteractive = "idle_interactive";
    public const string DataloaderBound = "dataloader_bound";
    public const string TailAfterGpuActivity = "tail_after_gpu_activity";

    public static IReadOnlyList<string> All { get; } =
        [FailedEarly, FailedLate, CrashLoop, Sweep, ZeroGpu, LowGpu, UnusedGpus, IdleInteractive, DataloaderBound, TailAfterGpuActivity];

    public static bool IsKnown(string kind) => All.Contains(kind);

    public static string Tip(string kind) => kind switch
    {
        FailedEarly => "Try the job on a small input in a short debug allocation first (e.g. --time=00:10:00) and read the first lines of its log before submitting it at full size.",
        FailedLate => "Save checkpoints (every epoch or every N steps) and resume from the last one; set --time and --mem from what seff shows for earlier runs, so that TIMEOUT and OUT_OF_MEMORY do not end hours of work.",
        CrashLoop => "The same job failed again and again: read the first failure's error before resubmitting, and give retries a limit (--dependency=afterok, or a maximum in your workflow tool).",
        Sweep => "Many runs of one script: prune bad runs early (Optuna pruning, ASHA/Hyperband) or search coarse to fine instead of a full grid, and log the metric (coca metric) so the runs that did not help can be counted.",
        ZeroGpu => "The job held GPUs that did no work: check that the model and data are moved to the GPU (torch.cuda.is_available(), .to(\"cuda\")), or request no GPU for CPU-only work.",
        LowGpu => "The GPUs were mostly idle: request fewer GPUs or a smaller slice (MIG), raise the batch size, or profile the input pipeline.",
        UnusedGpus => "Some of the job's GPUs never worked: request only the GPUs the code uses, or launch one process per GPU (torchrun, DistributedDataParallel).",
        IdleInteractive => "An interactive session held GPUs idle for hours: end it (exit, scancel) when you step away, and ask for a shorter --time.",
        DataloaderBound => "The CPUs were saturated while the GPUs waited: more data-loading workers (num_workers), more CPUs per GPU, pinned memory, or data preprocessed into a faster format.",
        TailAfterGpuActivity => "The job kept running after its GPUs went quiet: end the script when training ends, and move evaluation or post-processing that does not need a GPU to a CPU job.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a behaviour"),
    };
}
