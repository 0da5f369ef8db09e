using System.Diagnostics;
using System.Globalization;

namespace Coca.Bench;

/// <summary>
/// What any process pays on this machine to wake at the agent's rate and read the node's RAPL files: a C loop that
/// sleeps to an absolute deadline (clock_nanosleep) and preads each energy_uj, nothing else. Its CPU per
/// wake-up is the floor under the agent's per-tick figure, set by the kernel and the hypervisor, not by us.
/// </summary>
internal static class WakeupFloor
{
    private const string Source = """
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
          int n = atoi(argv[1]), files = argc - 3, fds[64];
          long period_ns = atol(argv[2]) * 1000000L;
          for (int f = 0; f < files && f < 64; f++) fds[f] = open(argv[f + 3], O_RDONLY);
          char buf[64];
          struct timespec next;
          clock_gettime(CLOCK_MONOTONIC, &next);
          for (int i = 0; i < n; i++) {
            for (int f = 0; f < files && f < 64; f++) pread(fds[f], buf, sizeof buf, 0);
            next.tv_nsec += period_ns;
            while (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
          }
          struct timespec cpu;
          clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
          printf("%.3f\n", (cpu.tv_sec * 1e9 + cpu.tv_nsec) / 1e3 / n);
          return 0;
        }
        """;

    /// <summary>CPU µs per wake-up of the C loop reading the given files every period; NaN when no C compiler is found.</summary>
    public static double Measure(IReadOnlyList<string> files, int wakeups, int periodMs)
    {
        using var dir = new TestSupport.TempDirectory("coca-bench-floor");
        File.WriteAllText(dir.Combine("floor.c"), Source);
        try
        {
            Run("gcc", ["-O2", "-o", dir.Combine("floor"), dir.Combine("floor.c")]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return double.NaN;
        }
        return double.Parse(Run(dir.Combine("floor"), [wakeups.ToString(CultureInfo.InvariantCulture), periodMs.ToString(CultureInfo.InvariantCulture), .. files]), CultureInfo.InvariantCulture);
    }

    private static string Run(string file, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output.Result.Trim();
    }
}
