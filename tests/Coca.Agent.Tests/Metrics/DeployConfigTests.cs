using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coca.Agent.Metrics;
using Coca.Agent.State;
using Coca.Core.Attribution;
using Coca.TestSupport;

namespace Coca.Agent.Tests.Metrics;

/// <summary>
/// deploy/grafana and deploy/prometheus as a site would load them: every dashboard parses, every PromQL expression is
/// valid for promtool and names only metrics this agent exports, and the scrape config passes promtool.
/// </summary>
public sealed partial class DeployConfigTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coca4ai.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> Dashboards() => Directory.GetFiles(Path.Combine(Root, "deploy", "grafana"), "*.json").Order(StringComparer.Ordinal);

    // The PromQL of every Prometheus target of every panel, with Grafana's variables as a query would receive them.
    private static List<(string Dashboard, string Expr)> Expressions()
    {
        var list = new List<(string, string)>();
        foreach (var file in Dashboards())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                if (!panel.TryGetProperty("targets", out var targets)) continue;
                foreach (var t in targets.EnumerateArray())
                {
                    if (!t.TryGetProperty("expr", out var expr)) continue;
                    var text = expr.GetString()!.Replace("$__rate_interval", "5m").Replace("$__range", "1h").Replace("$node", ".*");
                    list.Add((Path.GetFileName(file), text));
                }
            }
        }
        return list;
    }

    private static HashSet<string> ExportedMetrics()
    {
        var state = new Books { Node = "gpu07" };
        state.Devices["gpu:GPU-a"] = new DeviceBook { Kind = "gpu", TotalUj = 1_500_000, PowerW = 250 };
        state.Jobs["12"] = new JobBook { JobId = "12", User = "alice", EnergyOnDisk = [1, 2, 3, 0] };
        var text = new PrometheusText();
        var buffer = new ByteBuffer();
        text.Render(buffer, state, new Dictionary<string, string>(), new(1, 0, 0.001, 1), now: 100, TimeSpan.FromMinutes(5), new Dictionary<string, int> { ["gpu:GPU-a"] = 0 });
        return [.. Encoding.UTF8.GetString(buffer.Written).Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2])];
    }

    [Fact]
    public void Every_dashboard_parses_and_every_expression_names_only_metrics_the_agent_exports()
    {
        Assert.NotEmpty(Dashboards());
        foreach (var file in Dashboards())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("uid").GetString()), file);
            Assert.NotEmpty(doc.RootElement.GetProperty("panels").EnumerateArray());
        }
        var exported = ExportedMetrics();
        Assert.Contains("coca_idle_energy_joules_total", exported);
        var expressions = Expressions();
        Assert.True(expressions.Count >= 5, "the node dashboard's panels carry PromQL");
        foreach (var (dashboard, expr) in expressions)
        {
            var unknown = MetricName().Matches(expr).Select(m => m.Value).Where(n => !exported.Contains(n)).ToList();
            Assert.True(unknown.Count == 0, $"{dashboard}: {expr} names metrics the agent does not export: {string.Join(", ", unknown)}");
        }
    }

    [PromtoolFact]
    public void Every_expression_passes_promtool_as_a_rule()
    {
        using var dir = new TempDirectory("coca-deploy");
        var rules = new StringBuilder("groups:\n  - name: coca4ai_dashboards\n    rules:\n");
        var i = 0;
        foreach (var (_, expr) in Expressions()) rules.Append($"      - record: coca4ai:dashboard_expr_{i++}\n        expr: {JsonSerializer.Serialize(expr)}\n");
        var file = dir.Combine("rules.yml");
        File.WriteAllText(file, rules.ToString());
        Promtool("check", "rules", file);
    }

    [PromtoolFact]
    public void The_scrape_config_passes_promtool() => Promtool("check", "config", Path.Combine(Root, "deploy", "prometheus", "prometheus.yml"));

    private static void Promtool(params string[] args)
    {
        var start = new ProcessStartInfo(PromtoolFactAttribute.Path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', args)}: {errors}{output.Result}");
    }

    [GeneratedRegex("coca_[a-z_]+")]
    private static partial Regex MetricName();
}
