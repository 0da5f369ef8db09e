using Coca.Core.Carbon;

namespace Coca.Core.Tests.Carbon;

public class IntensityImportTests
{
    // Europe/Paris, built here so the test needs no tz database: CET, CEST from the last Sunday of March 02:00 to the last Sunday of October 03:00.
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.CreateCustomTimeZone("Europe/Paris", TimeSpan.FromHours(1), "Paris", "CET", "CEST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    private static IntensityParse Parse(string text, IntensityFormat format, string? zone = null, string basis = IntensityBasis.Lifecycle) =>
        IntensityImport.Parse(text.Split('\n'), format, zone, basis, Paris);

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Eco2mix_export_with_offsets_reads_across_the_spring_change_and_reports_a_duplicate()
    {
        // ODRÉ's eco2mix-national-tr export, as downloaded with field names: semicolon, date_heure with its offset.
        var parse = Parse("""
            perimetre;nature;date;heure;date_heure;consommation;prevision_j1;prevision_j;fioul;charbon;gaz;nucleaire;eolien;solaire;hydraulique;pompage;bioenergies;ech_physiques;taux_co2
            France;Données temps réel;2024-03-31;01:45;2024-03-31T01:45:00+01:00;52000;51000;51500;80;0;2500;40000;3000;0;8000;-500;900;-9000;21
            France;Données temps réel;2024-03-31;03:00;2024-03-31T03:00:00+02:00;51000;50500;50800;80;0;2400;40000;3100;0;7900;-400;900;-9100;20
            France;Données temps réel;2024-03-31;03:00;2024-03-31T03:00:00+02:00;51000;50500;50800;80;0;2400;40000;3100;0;7900;-400;900;-9100;20
            France;Données temps réel;2024-03-31;03:15;2024-03-31T03:15:00+02:00;;;;;;;;;;;;;;
            """, IntensityFormat.Eco2mix);
        Assert.Equal(4, parse.LinesRead);
        Assert.Equal(1, parse.Empty);
        Assert.Equal([Utc("2024-03-31T00:45:00Z"), Utc("2024-03-31T01:00:00Z")], parse.Rows.Select(r => r.Time));
        Assert.All(parse.Rows, r => Assert.Equal(("FR", IntensityBasis.Direct), (r.Zone, r.Basis)));
        Assert.Equal(21, parse.Rows[0].GramsPerKwh);
        var problem = Assert.Single(parse.Problems);
        Assert.StartsWith("line 4: FR 2024-03-31T01:00:00Z already given on line 3", problem);
    }

    [Fact]
    public void Eco2mix_export_with_labels_is_read_too()
    {
        var parse = Parse("""
            Périmètre;Nature;Date;Heure;Date - Heure;Consommation (MW);Taux de CO2 (g/kWh)
            France;Données consolidées;2023-01-01;00:00;2023-01-01T00:00:00+01:00;60000;55
            """, IntensityFormat.Eco2mix, zone: "FR-mainland");
        var row = Assert.Single(parse.Rows);
        Assert.Equal((Utc("2022-12-31T23:00:00Z"), 55.0, "FR-mainland"), (row.Time, row.GramsPerKwh, row.Zone));
    }

    [Fact]
    public void Older_eco2mix_local_times_read_the_repeated_autumn_hour_as_summer_then_winter_time()
    {
        // The annual files: tab-separated, Date and Heures in French local time, "Taux de Co2"; 29 Oct 2023 02:00 happens twice.
        var parse = Parse(
            "Périmètre\tNature\tDate\tHeures\tConsommation\tTaux de Co2\n" +
            "France\tDonnées définitives\t2023-10-29\t01:30\t40000\t30\n" +
            "France\tDonnées définitives\t2023-10-29\t02:00\t39000\t31\n" +
            "France\tDonnées définitives\t2023-10-29\t02:00\t38000\t32\n" +
            "France\tDonnées définitives\t2023-10-29\t03:00\t37000\t33\n" +
            "RTE ne pourra être tenu responsable de l'utilisation des données", IntensityFormat.Eco2mix);
        Assert.Equal(
            [Utc("2023-10-28T23:30:00Z"), Utc("2023-10-29T00:00:00Z"), Utc("2023-10-29T01:00:00Z"), Utc("2023-10-29T02:00:00Z")],
            parse.Rows.Select(r => r.Time));
        Assert.Equal([30.0, 31, 32, 33], parse.Rows.Select(r => r.GramsPerKwh));
        Assert.Single(parse.Problems);
    }

    [Fact]
    public void Older_eco2mix_local_time_in_the_missing_spring_hour_is_a_bad_line_alone()
    {
        var parse = Parse("""
            Périmètre;Nature;Date;Heures;Taux de Co2
            France;Données définitives;31/03/2024;01:45;20
            France;Données définitives;31/03/2024;02:00;20
            France;Données définitives;31/03/2024;03:00;19
            France;Données définitives;31/03/2024;03:15;abc
            """, IntensityFormat.Eco2mix);
        Assert.Equal([Utc("2024-03-31T00:45:00Z"), Utc("2024-03-31T01:00:00Z")], parse.Rows.Select(r => r.Time));
        Assert.Equal(2, parse.Problems.Count);
        Assert.Contains("does not exist in Europe/Paris", parse.Problems[0]);
        Assert.Contains("'abc' is not a number", parse.Problems[1]);
    }

    private const string ElectricityMaps = """
        Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method
        2023-01-01 00:00:00,Germany,Germany,DE,312.5,381.2,45.1,40.2,entsoe.eu,false,
        2023-01-01 01:00:00,Germany,Germany,DE,330,399,44,39,entsoe.eu,false,
        2023-01-01 03:00:00,Germany,Germany,DE,351,420,42,37,entsoe.eu,true,TIME_SLICER_AVERAGE
        2023-01-01 03:00:00,Germany,Germany,DE,351,420,42,37,entsoe.eu,true,TIME_SLICER_AVERAGE
        2023-01-01 04:00:00,Germany,"Germany, south",DE,NaN,NaN,,,,,
        """;

    [Fact]
    public void Electricity_maps_reads_the_chosen_basis_with_a_missing_hour_and_a_duplicate()
    {
        var life = Parse(ElectricityMaps, IntensityFormat.ElectricityMaps);
        Assert.Equal([381.2, 399, 420], life.Rows.Select(r => r.GramsPerKwh));
        Assert.All(life.Rows, r => Assert.Equal(("DE", IntensityBasis.Lifecycle), (r.Zone, r.Basis)));
        Assert.Equal(Utc("2023-01-01T03:00:00Z"), life.Rows[2].Time);
        Assert.Equal(5, life.LinesRead);
        Assert.Equal(2, life.Problems.Count);
        Assert.Contains("already given on line 4", life.Problems[0]);
        Assert.Contains("'NaN' is not a number", life.Problems[1]);

        var direct = Parse(ElectricityMaps, IntensityFormat.ElectricityMaps, basis: IntensityBasis.Direct);
        Assert.Equal([312.5, 330, 351], direct.Rows.Select(r => r.GramsPerKwh));
        Assert.All(direct.Rows, r => Assert.Equal(IntensityBasis.Direct, r.Basis));
    }

    [Fact]
    public void Generic_csv_needs_an_offset_and_a_finite_figure_and_keeps_the_good_rows()
    {
        var parse = Parse("""
            time,zone,g_per_kwh
            2025-01-01T00:00:00Z,SE,25
            2025-01-01T01:00:00+01:00,SE,26
            2025-01-01T02:00:00,SE,27
            2025-01-01T03:00:00Z,SE,Infinity
            2025-01-01T04:00:00Z,,28
            """, IntensityFormat.Csv, zone: "SE-SE3");
        Assert.Equal([(Utc("2025-01-01T00:00:00Z"), 25.0, "SE"), (Utc("2025-01-01T04:00:00Z"), 28.0, "SE-SE3")],
            parse.Rows.Select(r => (r.Time, r.GramsPerKwh, r.Zone)));
        Assert.Equal(3, parse.Problems.Count);
        Assert.Contains("already given on line 2", parse.Problems[0]);
        Assert.Contains("with its offset", parse.Problems[1]);
    }

    [Fact]
    public void A_file_without_the_format_s_columns_is_refused_whole()
    {
        Assert.Throws<FormatException>(() => Parse("a;b;c\n1;2;3", IntensityFormat.Eco2mix));
        Assert.Throws<FormatException>(() => Parse("time,g_per_kwh\n2025-01-01T00:00:00Z,3", IntensityFormat.Csv));
    }
}
