namespace Coca.Bench;
internal static class SaveProbe
{
    public static void Run()
    {
        var dir = Directory.CreateTempSubdirectory("probe").FullName;
        var data = new byte[24000];
        var path = Path.Combine(dir, "s.json"); var tmp = path + ".tmp";
        var t = new double[6];
        const int n = 300;
        for (var i = 0; i < n + 20; i++)
        {
            var a = ThreadCpu.Nanoseconds();
            var h = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write);
            var b = ThreadCpu.Nanoseconds();
            RandomAccess.Write(h, data, 0);
            var c = ThreadCpu.Nanoseconds();
            RandomAccess.FlushToDisk(h);
            var d = ThreadCpu.Nanoseconds();
            h.Dispose();
            var e = ThreadCpu.Nanoseconds();
            File.Move(tmp, path, true);
            var f = ThreadCpu.Nanoseconds();
            if (i < 20) continue;
            t[0] += b - a; t[1] += c - b; t[2] += d - c; t[3] += e - d; t[4] += f - e;
            Thread.Sleep(5);
        }
        Console.WriteLine($"open {t[0]/n/1000:0.0} write {t[1]/n/1000:0.0} fsync {t[2]/n/1000:0.0} close {t[3]/n/1000:0.0} rename {t[4]/n/1000:0.0} µs CPU");
        // variant: overwrite in place without truncation
        Array.Clear(t);
        for (var i = 0; i < n + 20; i++)
        {
            var a = ThreadCpu.Nanoseconds();
            using (var h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write)) { RandomAccess.Write(h, data, 0); RandomAccess.FlushToDisk(h); }
            var b = ThreadCpu.Nanoseconds();
            if (i >= 20) t[0] += b - a;
            Thread.Sleep(5);
        }
        Console.WriteLine($"in place total {t[0]/n/1000:0.0} µs CPU");
        var state = new Coca.Agent.State.AgentState();
        for (var j = 0; j < 64; j++) state.Jobs[$"{1000 + j}"] = new Coca.Agent.State.JobBook { JobId = $"{1000 + j}", User = "user" + j, Start = 1.7e9 + j * 0.37, EnergyUj = [123456789, 2345678, 987654321, 0], Gpus = ["GPU-1234"], CpuShareBasis = "cgroup", GpuSeconds = 1234.567, CoveredSeconds = 5555.25 };
        for (var d = 0; d < 12; d++) state.Devices[$"dev{d}"] = new Coca.Agent.State.DeviceBook { Kind = "gpu", TotalUj = 123456789012, Raw = 5555555, PowerW = 250.5 };
        var sw = new Coca.Agent.State.StateWriter();
        var file = new Coca.Agent.State.StateFile(dir);
        Array.Clear(t);
        for (var i = 0; i < n + 20; i++)
        {
            var a = ThreadCpu.Nanoseconds();
            var len = sw.Write(state).Length;
            var b = ThreadCpu.Nanoseconds();
            file.Save(state);
            var c = ThreadCpu.Nanoseconds();
            if (i >= 20) { t[0] += b - a; t[1] += c - b; t[2] = len; }
            Thread.Sleep(5);
        }
        Console.WriteLine($"json {t[0]/n/1000:0.0} µs ({t[2]} B), save {t[1]/n/1000:0.0} µs CPU");
        Array.Clear(t);
        for (var i = 0; i < n + 20; i++)
        {
            var b = ThreadCpu.Nanoseconds();
            file.Save(state);
            var c = ThreadCpu.Nanoseconds();
            if (i >= 20) { t[1] += c - b; }
        }
        Console.WriteLine($"back to back: save {t[1]/n/1000:0.0} µs CPU");
        Directory.Delete(dir, true);
    }
}
