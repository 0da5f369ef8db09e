using Coca.Core.Carbon;

namespace Coca.Core.Tests.Carbon;

public class CarbonTests
{
    [Fact]
    public void Reproduces_BLOOM_dynamic_training_emissions()
    {
        // Luccioni et al. 2022: 433,196 kWh at 57 gCO2e/kWh → 24.7 t.
        var inputs = CarbonInputs.Resolve(null, 57, 1.0);
        var tonnes = CarbonCalculator.EmissionsGramsFromKwh(433_196, inputs) / 1e6;
        Assert.Equal(24.69, tonnes, 2);
    }

    [Fact]
    public void Reproduces_GPT3_training_emissions()
    {
        // Patterson et al. 2021: 1,287 MWh at 429 gCO2e/kWh → 552 t.
        var inputs = CarbonInputs.Resolve(null, 429, 1.0);
        var tonnes = CarbonCalculator.EmissionsGramsFromKwh(1_287_000, inputs) / 1e6;
        Assert.Equal(552.1, tonnes, 1);
    }

    [Fact]
    public void Pue_multiplies_it_energy()
    {
        var inputs = CarbonInputs.Resolve(null, 100, 1.5);
        Assert.Equal(150.0, CarbonCalculator.EmissionsGramsFromKwh(1, inputs), 9);
    }

    [Fact]
    public void Country_code_selects_the_table_figure_case_insensitively()
    {
        var inputs = CarbonInputs.Resolve("fra", null, 1.0);
        Assert.Equal("FRA", inputs.Country);
        Assert.InRange(inputs.GramsPerKwh, 20, 120); // France's nuclear-heavy grid
        Assert.Contains("France", inputs.IntensitySource);
    }

    [Fact]
    public void Explicit_intensity_overrides_the_country()
    {
        var inputs = CarbonInputs.Resolve("DEU", 12.5, 1.0);
        Assert.Equal(12.5, inputs.GramsPerKwh);
    }

    [Fact]
    public void No_country_and_no_intensity_falls_back_to_the_world_average_and_says_so()
    {
        var inputs = CarbonInputs.Resolve(null, null, 1.0);
        Assert.Equal(CarbonIntensityTable.WorldAverageGramsPerKwh, inputs.GramsPerKwh);
        Assert.Contains("world average", inputs.IntensitySource);
    }

    [Theory]
    [InlineData("XXX")]
    [InlineData("FR")]
    public void Unknown_country_code_is_refused_with_a_clear_message(string code)
    {
        var e = Assert.Throws<ArgumentException>(() => CarbonInputs.Resolve(code, null, 1.0));
        Assert.Contains("unknown country code", e.Message);
    }

    [Fact]
    public void Negative_energy_pue_below_one_and_negative_intensity_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CarbonCalculator.EmissionsGramsFromKwh(-1, CarbonInputs.Resolve(null, 1, 1)));
        Assert.Throws<ArgumentException>(() => CarbonInputs.Resolve(null, 1, 0.9));
        Assert.Throws<ArgumentException>(() => CarbonInputs.Resolve(null, -5, 1));
    }

    [Fact]
    public void Table_has_every_major_grid()
    {
        foreach (var iso in new[] { "FRA", "DEU", "USA", "CHN", "IND", "GBR", "SWE", "POL" })
        {
            Assert.NotNull(CarbonIntensityTable.Find(iso));
        }
    }
}
