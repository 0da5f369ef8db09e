namespace Coca.Cli.Tests.Commands.Corpus;

/// <summary>The corpus, built in code: readings and jobs CSV for coca attribute, TOML, environment values and flags.</summary>
public static class MalformedInputCorpus
{
    public const string GoodReadings = """
        time,node,device,energy_j,power_w,max_energy_j
        0,n1,gpu0,100,,
        10,n1,gpu0,1100,,
        20,n1,gpu0,2100,,
        0,n1,package-0,0,,1000
        10,n1,package-0,500,,1000
        20,n1,package-0,900,,1000

        """;

    public const string GoodJobs = """
        job_id,user,node,start,end,gpus,cpu_share
        42,alice,n1,0,20,gpu0,0.5

        """;

    /// <summary>Job 42's energy from the good files alone: GPU 2000 J, CPU half of 900 J.</summary>
    public const double GoodGpuJ = 2000, GoodCpuJ = 450;

    public static IEnumerable<MalformedInput> All() => [.. Readings(), .. Jobs(), .. Toml(), .. Environment(), .. Flags()];

    // A bad reading after the good ones: at time 30, past job 42's end, so that even a row wrongly taken in could not
    // change its energy; only its report (exit 1, one line) tells.
    private static IEnumerable<MalformedInput> Readings()
    {
        MalformedInput Row(string name, string row) => new("readings", name, Readings: GoodReadings + row + "\n", RowLevel: true);
        yield return Row("energy NaN", "30,n1,gpu0,NaN,,");
        yield return Row("energy Infinity", "30,n1,gpu0,Infinity,,");
        yield return Row("energy -Infinity", "30,n1,gpu0,-Infinity,,");
        yield return Row("energy 1e309", "30,n1,gpu0,1e309,,");
        yield return Row("energy 1e300", "30,n1,gpu0,1e300,,");
        yield return Row("energy negative", "30,n1,gpu0,-5,,");
        yield return Row("energy text", "30,n1,gpu0,abc,,");
        yield return Row("energy hex", "30,n1,gpu0,0x10,,");
        yield return Row("energy decimal comma", "30,n1,gpu0,\"2100,5\",,");
        yield return Row("energy two signs", "30,n1,gpu0,--1,,");
        yield return Row("energy and power both empty", "30,n1,gpu0,,,");
        yield return Row("power NaN", "30,n1,gpu0,,NaN,");
        yield return Row("power Infinity", "30,n1,gpu0,,Infinity,");
        yield return Row("power negative", "30,n1,gpu0,,-1,");
        yield return Row("power 1e309", "30,n1,gpu0,,1e309,");
        yield return Row("power 1e300", "30,n1,gpu9,,1e300,");
        yield return Row("power text", "30,n1,gpu0,,watts,");
        yield return Row("max_energy NaN", "30,n1,package-0,950,,NaN");
        yield return Row("max_energy Infinity", "30,n1,package-0,950,,Infinity");
        yield return Row("max_energy negative", "30,n1,package-0,950,,-1000");
        yield return Row("max_energy 1e309", "30,n1,package-0,950,,1e309");
        yield return Row("max_energy 1e300", "30,n1,package-9,950,,1e300");
        yield return Row("time NaN", "NaN,n1,gpu0,2200,,");
        yield return Row("time Infinity", "Infinity,n1,gpu0,2200,,");
        yield return Row("time 1e309", "1e309,n1,gpu0,2200,,");
        yield return Row("time -1e300", "-1e300,n1,gpu9,2200,,");
        yield return Row("time 1e300", "1e300,n1,gpu9,2200,,");
        yield return Row("time text", "yesterday,n1,gpu0,2200,,");
        yield return Row("time ISO without offset", "2026-01-01T00:00:30,n1,gpu0,2200,,");
        yield return Row("time month 13", "2026-13-01T00:00:00Z,n1,gpu0,2200,,");
        yield return Row("time empty", ",n1,gpu0,2200,,");
        yield return Row("node empty", "30,,gpu0,2200,,");
        yield return Row("device empty", "30,n1,,2200,,");
        yield return Row("too few fields", "30,n1");
        yield return Row("too many fields", "30,n1,gpu0,2200,,,extra,more");
        yield return Row("unbalanced quote", "30,\"n1,gpu0,2200,,");
        yield return Row("NUL byte in a number", "30,n1,gpu0,22\000,,");
        yield return Row("1 MB device name", $"30,n1,{new string('g', 1 << 20)},,1e309,");
        yield return Row("same time twice", "20,n1,gpu0,2100,,");
        yield return new("readings", "empty file", Readings: "");
        yield return new("readings", "no time column", Readings: "node,device,energy_j\nn1,gpu0,1\n");
        yield return new("readings", "binary", Readings: "\u0001\u0002\u00ff\u0000PK\u0003\u0004\n\u0000\u0000");
        yield return new("readings", "header twice the same column", Readings: "time,time,node,device,energy_j\n0,0,n1,gpu0,1\n");
    }

    // A bad job on another node: even taken in, it could not change job 42's energy; only its report tells.
    private static IEnumerable<MalformedInput> Jobs()
    {
        MalformedInput Row(string name, string row) => new("jobs", name, Jobs: GoodJobs + row + "\n", RowLevel: true);
        yield return Row("job id empty", ",bob,n2,0,20,gpu0,0.5");
        yield return Row("user empty", "43,,n2,0,20,gpu0,0.5");
        yield return Row("node empty", "43,bob,,0,20,gpu0,0.5");
        yield return Row("start NaN", "43,bob,n2,NaN,20,gpu0,0.5");
        yield return Row("start Infinity", "43,bob,n2,Infinity,20,gpu0,0.5");
        yield return Row("start 1e309", "43,bob,n2,1e309,20,gpu0,0.5");
        yield return Row("start text", "43,bob,n2,noon,20,gpu0,0.5");
        yield return Row("start empty", "43,bob,n2,,20,gpu0,0.5");
        yield return Row("end NaN", "43,bob,n2,0,NaN,gpu0,0.5");
        yield return Row("end -Infinity", "43,bob,n2,0,-Infinity,gpu0,0.5");
        yield return Row("end before start", "43,bob,n2,20,0,gpu0,0.5");
        yield return Row("cpu_share NaN", "43,bob,n2,0,20,gpu0,NaN");
        yield return Row("cpu_share Infinity", "43,bob,n2,0,20,gpu0,Infinity");
        yield return Row("cpu_share 1e309", "43,bob,n2,0,20,gpu0,1e309");
        yield return Row("cpu_share negative", "43,bob,n2,0,20,gpu0,-0.5");
        yield return Row("cpu_share above 1", "43,bob,n2,0,20,gpu0,1.5");
        yield return Row("cpu_share text", "43,bob,n2,0,20,gpu0,half");
        yield return Row("too few fields", "43,bob");
        yield return Row("too many fields", "43,bob,n2,0,20,gpu0,0.5,extra");
        yield return Row("unbalanced quote", "43,\"bob,n2,0,20,gpu0,0.5");
        yield return Row("NUL in the job id", "4\0003,bob,n2,0,20,gpu0,0.5");
        yield return Row("1 MB job id", $"{new string('9', 1 << 20)},bob,n2,NaN,20,gpu0,0.5");
        yield return Row("time ISO without offset", "43,bob,n2,2026-01-01T00:00:00,20,gpu0,0.5");
        yield return Row("same job id twice", "42,alice,n1,0,20,gpu0,0.5");
        yield return new("jobs", "empty file", Jobs: "");
        yield return new("jobs", "no job_id column", Jobs: "user,node,start\nalice,n1,0\n");
    }

    // Each through coca carbon, which reads [run] pue, carbon_intensity and country, and fails on any bad file.
    private static IEnumerable<MalformedInput> Toml()
    {
        MalformedInput File(string name, string toml) => new("toml", name, Toml: toml, Args: ["carbon", "--kwh", "1", "--country", "FRA"]);
        yield return File("unknown key", "[run]\npuee = 1.2\n");
        yield return File("unknown section", "[rnu]\npue = 1.2\n");
        yield return File("unknown top-level key", "intervall = 3\n");
        yield return File("duplicate key", "[run]\npue = 1.2\npue = 1.3\n");
        yield return File("table opened twice", "[run]\npue = 1.2\n[run]\n");
        yield return File("unclosed table header", "[run\npue = 1.2\n");
        yield return File("array of tables", "[[run]]\npue = 1.2\n");
        yield return File("key without value", "[run]\npue\n");
        yield return File("value without key", "[run]\n= 1.2\n");
        yield return File("array value", "[run]\npue = [1, 2]\n");
        yield return File("inline table", "[run]\npue = { a = 1 }\n");
        yield return File("unterminated string", "[run]\ncountry = \"FRA\n");
        yield return File("multi-line string", "[run]\ncountry = \"\"\"FRA\"\"\"\n");
        yield return File("pue nan", "[run]\npue = nan\n");
        yield return File("pue inf", "[run]\npue = inf\n");
        yield return File("pue 1e309", "[run]\npue = 1e309\n");
        yield return File("pue below 1", "[run]\npue = 0.5\n");
        yield return File("carbon_intensity negative", "[run]\ncarbon_intensity = -1\n");
        yield return File("carbon_intensity 1e12", "[run]\ncarbon_intensity = 1e12\n");
        yield return File("NUL byte", "[run]\npue = 1.2\0\n");
        yield return new("toml", "missing file", Args: ["carbon", "--kwh", "1", "--country", "FRA", "--config", "/nonexistent/coca.toml"]);
    }

    private static IEnumerable<MalformedInput> Environment()
    {
        MalformedInput Carbon(string variable, string value) => new("env", $"{variable}={value}", Args: ["carbon", "--kwh", "1", "--country", "FRA"], Env: new() { [variable] = value });
        MalformedInput Agent(string variable, string value) => new("env", $"{variable}={value}", Args: ["agent", "--listen", "127.0.0.1:0", "--state-dir", "/nonexistent/coca-state"], Env: new() { [variable] = value });
        yield return Carbon("COCA_RUN_PUE", "NaN");
        yield return Carbon("COCA_RUN_PUE", "Infinity");
        yield return Carbon("COCA_RUN_PUE", "1e309");
        yield return Carbon("COCA_RUN_PUE", "");
        yield return Carbon("COCA_PUE", "high");
        yield return Carbon("COCA_RUN_CARBON_INTENSITY", "-5");
        yield return Carbon("COCA_RUN_CARBON_INTENSITY", "NaN");
        yield return Carbon("COCA_CONFIG", "/nonexistent/coca.toml");
        yield return Agent("COCA_AGENT_INTERVAL", "0");
        yield return Agent("COCA_AGENT_INTERVAL", "1e12");
        yield return Agent("COCA_INTERVAL", "NaN");
        yield return Agent("COCA_AGENT_PUSH_INTERVAL", "0");
        yield return Agent("COCA_AGENT_SPOOL_MAX", "2.5");
        yield return Agent("COCA_AGENT_JOB_RETENTION", "-1");
        yield return new("env", "COCA_AGENT_LISTEN=garbage", Args: ["agent", "--state-dir", "/nonexistent/coca-state"], Env: new() { ["COCA_AGENT_LISTEN"] = "garbage" });
        yield return Agent("COCA_AGENT_CHECKPOINT_INTERVAL", "Infinity");
    }

    private static IEnumerable<MalformedInput> Flags()
    {
        MalformedInput Flag(string name, params string[] args) => new("flag", name, Args: args);
        string[] agent = ["agent", "--state-dir", "/nonexistent/coca-state"];
        yield return Flag("carbon --kwh NaN", "carbon", "--kwh", "NaN", "--country", "FRA");
        yield return Flag("carbon --kwh Infinity", "carbon", "--kwh", "Infinity", "--country", "FRA");
        yield return Flag("carbon --kwh 1e309", "carbon", "--kwh", "1e309", "--country", "FRA");
        yield return Flag("carbon --kwh -1", "carbon", "--kwh", "-1", "--country", "FRA");
        yield return Flag("carbon --kwh text", "carbon", "--kwh", "lots", "--country", "FRA");
        yield return Flag("carbon --pue 0.5", "carbon", "--kwh", "1", "--country", "FRA", "--pue", "0.5");
        yield return Flag("carbon --carbon-intensity Infinity", "carbon", "--kwh", "1", "--carbon-intensity", "Infinity");
        yield return Flag("carbon --country unknown", "carbon", "--kwh", "1", "--country", "ZZZ");
        yield return Flag("agent --push-interval 0", [.. agent, "--push-interval", "0"]);
        yield return Flag("agent --interval 1e12", [.. agent, "--interval", "1e12"]);
        yield return Flag("agent --interval NaN", [.. agent, "--interval", "NaN"]);
        yield return Flag("agent --interval Infinity", [.. agent, "--interval", "Infinity"]);
        yield return Flag("agent --housekeeping-interval 1e309", [.. agent, "--housekeeping-interval", "1e309"]);
        yield return Flag("agent --spool-max 1e12", [.. agent, "--spool-max", "1e12"]);
        yield return Flag("agent --job-retention -1", [.. agent, "--job-retention", "-1"]);
        yield return Flag("agent --listen garbage", [.. agent, "--listen", "garbage"]);
        yield return Flag("agent --listen garbage:80", [.. agent, "--listen", "garbage:80"]);
        yield return Flag("agent --listen a URL", [.. agent, "--listen", "http://127.0.0.1:9464"]);
        yield return Flag("agent --listen port 99999", [.. agent, "--listen", "127.0.0.1:99999"]);
        yield return Flag("agent --web-config missing", [.. agent, "--listen", "127.0.0.1:0", "--web-config", "/nonexistent/web.yml"]);
        yield return Flag("server --listen host:port", "server", "--listen", "127.0.0.1:18090", "--db", "sqlite:/tmp/coca-corpus-never-created.db");
        yield return Flag("server --listen garbage", "server", "--listen", "garbage", "--db", "sqlite:/tmp/coca-corpus-never-created.db");
        yield return Flag("run --interval 1e309", "run", "--interval", "1e309", "--no-csv", "--", "true");
        yield return Flag("run --pue Infinity", "run", "--pue", "Infinity", "--no-csv", "--", "true");
        yield return Flag("run --carbon-intensity NaN", "run", "--carbon-intensity", "NaN", "--no-csv", "--", "true");
        yield return Flag("run mistyped option before --", "run", "--contry", "FRA", "--", "true");
        yield return Flag("sensors --window NaN", "sensors", "--window", "NaN");
        yield return Flag("sensors --window 1e12", "sensors", "--window", "1e12");
    }
}
