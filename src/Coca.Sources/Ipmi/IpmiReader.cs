using System.ComponentModel;
using System.Diagnostics;
using Coca.Core.Metering;
using Coca.Sources.NodeMeter;

namespace Coca.Sources.Ipmi;

/// <summary>
/// The node's power through DCMI: runs the tool once per read (on the poller's task, never the tick's), with a timeout,
/// and takes the instantaneous reading stamped with the BMC's own timestamp, so that a value the BMC has not refreshed
/// is known for a repeat.
/// </summary>
public sealed class IpmiReader(IpmiOptions options) : IMeterReader
{
    public const string SourceName = "ipmi";

    public string Name => SourceName;

    public string Label => $"DCMI power reading via {options.BinaryName}{(options.Host is null ? " (local BMC)" : $" on {options.Host}")}";

    public async Task<MeterReading> ReadAsync(Func<double> now, CancellationToken cancel)
    {
        var output = await RunAsync(cancel).ConfigureAwait(false);
        DcmiPowerReading reading;
        try
        {
            reading = DcmiPowerReading.Parse(output);
        }
        catch (FormatException e)
        {
            throw new MeterProblemException($"{options.BinaryName}: {e.Message}");
        }
        if (reading.Active == false) throw new MeterProblemException($"{options.BinaryName}: the BMC's power reading is deactivated");
        return new MeterReading(now(), reading.InstantWatts ?? reading.AverageWatts, null, reading.Timestamp,
            reading.InstantWatts is null ? reading.SamplingPeriodSeconds : null, Origin: options.BinaryName);
    }

    private async Task<string> RunAsync(CancellationToken cancel)
    {
        var start = new ProcessStartInfo(options.BinaryName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in options.Arguments()) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MeterProblemException($"cannot run {options.BinaryName}");
        }
        catch (Win32Exception e)
        {
            throw new MeterProblemException($"cannot run {options.BinaryName}: {e.Message}");
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await Task.WhenAll(output, error).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancel.IsCancellationRequested) throw;
                throw new MeterProblemException($"{options.BinaryName} did not answer within {options.TimeoutSeconds:0.#} s");
            }
            if (process.ExitCode != 0)
            {
                var first = (error.Result + output.Result).Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
                throw new MeterProblemException($"{options.BinaryName} failed with exit code {process.ExitCode}: {first}");
            }
            return output.Result;
        }
    }

    public void Dispose()
    {
    }
}
