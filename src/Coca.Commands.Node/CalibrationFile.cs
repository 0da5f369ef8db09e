using System.Text.Json;
using Coca.Core.Calibration;

namespace Coca.Commands.Node;

/// <summary>
/// Reads a node type's model from <c>coca calibrate --json</c>'s output, for a node without a meter of its own: the
/// node named, or the only one in the file. Every way it can be wrong is one line naming the file.
/// </summary>
internal static class CalibrationFile
{
    public static NodeModel Read(string path, string? node)
    {
        CalibrationReport? report;
        try
        {
            using var stream = File.OpenRead(path);
            report = JsonSerializer.Deserialize(stream, CalibrateJsonContext.Relaxed.CalibrationReport);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new UsageException($"--calibration {path}: {(e is JsonException ? "not coca calibrate --json's output" : e.Message)}");
        }
        var nodes = report?.Nodes ?? [];
        CalibrationNode? chosen = node is null
            ? nodes.Count == 1 ? nodes[0] : throw new UsageException($"--calibration {path} has {nodes.Count} nodes: say which one stands for this node with --calibration-node")
            : nodes.FirstOrDefault(n => n.Node == node) ?? throw new UsageException($"--calibration {path} has no node '{node}' (it has {string.Join(", ", nodes.Select(n => n.Node))})");
        var calibration = new NodeCalibration(chosen.Node, chosen.Samples, chosen.NodeEnergyJ, chosen.ComponentEnergyJ, chosen.GapPct, chosen.R2, chosen.MapePct,
            chosen.Model?.InterceptW, chosen.Model?.Cpu, chosen.Model?.Gpu);
        return NodeModel.From(calibration, out var reason) ?? throw new UsageException($"--calibration {path}: {reason}");
    }
}
