using Coca.Core.Carbon;
using Coca.Core.Ingest;

namespace Coca.Storage.Tests;

/// <summary>Intensity series and the recompute of jobs' emissions, the same on SQLite and PostgreSQL.</summary>
public class CarbonContract : StoreFixture
{
    private const long OneKwhUj = 3_600_000_000_000;

    // Hourly figures around the fixture's jobs (08:01 to 09:01 UTC): 100 g/kWh from 08:00, 200 from 09:00.
    private static IntensityRow[] Hours(double at8 = 100) =>
    [
        new("FR", T0.AddHours(-1), 90, IntensityBasis.Direct),
        new("FR", T0, at8, IntensityBasis.Direct),
        new("FR", T0.AddHours(1), 200, IntensityBasis.Direct),
        new("FR", T0.AddHours(2), 300, IntensityBasis.Direct),
    ];

    private static RecomputeInputs Inputs(IJobStore store, double pue, double yearly = 60)
    {
        var stored = store.Intensity("FR");
        return new RecomputeInputs(CarbonInputs.Resolve(null, yearly, pue), new IntensitySeries(stored.Points), "FR", stored.Basis);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Importing_a_series_twice_changes_nothing_and_a_corrected_figure_replaces_the_old(string kind)
    {
        using var store = Open(kind);
        Assert.Equal(new SeriesImportResult(4, 0, 0), store.ImportIntensity(Hours()));
        Assert.Equal(new SeriesImportResult(0, 0, 4), store.ImportIntensity(Hours()));
        Assert.Equal(new SeriesImportResult(0, 1, 3), store.ImportIntensity(Hours(at8: 110)));
        var stored = store.Intensity("FR");
        Assert.Equal([90.0, 110, 200, 300], stored.Points.Select(p => p.GramsPerKwh));
        Assert.Equal(T0, stored.Points[1].Time);
        Assert.Equal("direct", stored.Basis);
        Assert.Empty(store.Intensity("DE").Points);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_job_across_two_hours_gets_each_hour_s_figure_and_says_how(string kind)
    {
        using var store = Open(kind);
        store.ImportIntensity(Hours());
        store.UpsertAccounting([Job("7")]);
        store.UpsertMeasurements([Measured("7", "n1", OneKwhUj)]);
        var result = store.RecomputeEmissions(Inputs(store, pue: 1.5), since: null);
        // 1 kWh from 08:01 to 09:01: 59 min at 100 and 1 min at 200 g/kWh, × PUE 1.5.
        var expected = (59.0 / 60 * 100 + 1.0 / 60 * 200) * 1.5;
        Assert.Equal(new RecomputeResult(1, 1, 1, 0, 0), result);
        var job = store.Job("7")!;
        Assert.Equal(expected, job.EmissionsG!.Value, 9);
        Assert.Equal(1.5, job.Pue);
        Assert.Equal(expected / 1.5, job.CarbonIntensityGPerKwh!.Value, 9);
        Assert.Equal(new JobCarbonMethod("hourly", "FR", "direct", 1.0, "uniform"), store.CarbonMethod("7"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_new_pue_is_applied_to_past_jobs_and_a_second_run_changes_nothing(string kind)
    {
        using var store = Open(kind);
        store.ImportIntensity(Hours());
        store.UpsertAccounting([Job("7"), Job("8")]);
        store.UpsertMeasurements([Measured("7", "n1", OneKwhUj), Measured("8", "n1", 2 * OneKwhUj)]);
        store.RecomputeEmissions(Inputs(store, pue: 1.2), since: null);
        var before = store.Job("8")!.EmissionsG!.Value;
        var progress = new List<long>();
        var again = store.RecomputeEmissions(Inputs(store, pue: 1.5), since: null, progress.Add);
        Assert.Equal(2, again.Changed);
        Assert.Equal(before / 1.2 * 1.5, store.Job("8")!.EmissionsG!.Value, 9);
        Assert.Equal(2, progress[^1]);
        Assert.Equal(0, store.RecomputeEmissions(Inputs(store, pue: 1.5), since: null).Changed);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Slurm_s_energy_is_used_where_no_agent_measured_and_the_yearly_figure_where_no_series_covers(string kind)
    {
        using var store = Open(kind);
        store.UpsertAccounting([Job("9", slurmJ: 3.6e6), Job("10") with { Submit = T0.AddDays(30), Start = T0.AddDays(30), End = T0.AddDays(30).AddHours(1) }]);
        store.UpsertMeasurements([Measured("10", "n1", OneKwhUj)]);
        store.ImportIntensity(Hours());
        var result = store.RecomputeEmissions(Inputs(store, pue: 1.0, yearly: 60), since: null);
        Assert.Equal(new RecomputeResult(2, 2, 1, 1, 0), result);
        Assert.Equal(59.0 / 60 * 100 + 1.0 / 60 * 200, store.Job("9")!.EmissionsG!.Value, 9);
        Assert.Equal(60, store.Job("10")!.EmissionsG!.Value, 9);
        Assert.Equal(new JobCarbonMethod("yearly", "FR", "direct", 0, "uniform"), store.CarbonMethod("10"));
        // The sums still count the agents' jobs only: Slurm's energy and its emissions stay apart.
        Assert.Equal(60, store.Users(null).Single().EmissionsG!.Value, 9);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_job_with_a_stored_series_is_placed_by_it_and_a_new_measurement_clears_the_method(string kind)
    {
        using var store = Open(kind);
        store.ImportIntensity(Hours());
        store.UpsertAccounting([Job("7")]);
        store.UpsertMeasurements([Measured("7", "n1", OneKwhUj)]);
        // The GPU drew all of its kWh in the job's last minute (09:00 to 09:01), at 200 g/kWh.
        store.UpsertSeries([new SeriesPoint("7", "n1", "gpu:GPU-1", T0.AddHours(1), 0, null, null), new SeriesPoint("7", "n1", "gpu:GPU-1", T0.AddHours(1).AddMinutes(1), OneKwhUj, null, null)]);
        var result = store.RecomputeEmissions(Inputs(store, pue: 1.0), since: null);
        Assert.Equal(1, result.FromSeries);
        Assert.Equal(200, store.Job("7")!.EmissionsG!.Value, 6);
        Assert.Equal("series", store.CarbonMethod("7")!.Timeline);

        store.UpsertMeasurements([Measured("7", "n1", OneKwhUj, asOf: T0.AddHours(3))]);
        Assert.Equal(new JobCarbonMethod(null, null, null, null, null), store.CarbonMethod("7"));
    }
}
