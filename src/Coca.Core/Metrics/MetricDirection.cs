namespace Coca.Core.Metrics;

/// <summary>
/// Which way a well-known metric is better, from its name: accuracy-like ones up, loss-like ones down. The name is
/// read case-blind, after its last <c>/ : .</c> separator (<c>eval/accuracy</c>) and without a split prefix
/// (<c>val_</c>, <c>valid_</c>, <c>validation_</c>, <c>test_</c>, <c>eval_</c>, <c>train_</c>); unknown names have no direction.
/// </summary>
public static class MetricDirection
{
    public static IReadOnlyList<string> Maximized { get; } =
        ["accuracy", "acc", "top1", "top5", "top1_accuracy", "top5_accuracy", "f1", "f1_score", "auc", "roc_auc", "pr_auc", "precision", "recall",
         "bleu", "rouge", "rouge_l", "map", "iou", "miou", "r2", "dice", "reward", "score"];

    public static IReadOnlyList<string> Minimized { get; } =
        ["loss", "perplexity", "ppl", "error", "err", "error_rate", "wer", "cer", "mse", "rmse", "mae", "nll", "fid"];

    private static readonly string[] Prefixes = ["validation_", "valid_", "val_", "test_", "eval_", "train_"];

    /// <summary>True: larger is better; false: smaller is better; null: the name does not say.</summary>
    public static bool? Maximize(string name)
    {
        var n = name.ToLowerInvariant();
        var cut = n.LastIndexOfAny(['/', ':', '.']);
        if (cut >= 0) n = n[(cut + 1)..];
        foreach (var p in Prefixes)
        {
            if (n.StartsWith(p, StringComparison.Ordinal) && n.Length > p.Length)
            {
                n = n[p.Length..];
                break;
            }
        }
        if (Maximized.Contains(n)) return true;
        if (Minimized.Contains(n)) return false;
        return null;
    }
}
