namespace Coca.Cli.Tests.Commands;

public class CarbonCommandTests
{
    [Fact]
    public void Bloom_training_is_about_24_7_tonnes()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "433196", "--carbon-intensity", "57", "--json"]);
        Assert.Equal(0, r.ExitCode);
        var json = r.Json;
        Assert.Equal(433196, json.GetProperty("energy_kwh").GetDouble());
        Assert.Equal(1.0, json.GetProperty("pue").GetDouble());
        Assert.Equal(57, json.GetProperty("carbon_intensity_g_per_kwh").GetDouble());
        Assert.Equal(24_692.172, json.GetProperty("emissions_kg").GetDouble(), 3);
    }

    [Fact]
    public void Gpt3_training_is_about_552_tonnes()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "1287000", "--carbon-intensity", "429", "--json"]);
        Assert.Equal(552_123, r.Json.GetProperty("emissions_kg").GetDouble(), 0);
    }

    [Fact]
    public void Country_and_pue_give_the_table_figure_times_pue()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "10", "--country", "FRA", "--pue", "1.5", "--json"]);
        var json = r.Json;
        Assert.Equal(10 * 1.5 * json.GetProperty("carbon_intensity_g_per_kwh").GetDouble() / 1000, json.GetProperty("emissions_kg").GetDouble(), 9);
        Assert.Equal("FRA", json.GetProperty("country").GetString());
    }

    [Fact]
    public void Plain_output_names_the_inputs()
    {
        var r = CocaProcess.Run(["carbon", "--kwh", "1", "--carbon-intensity", "100"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("100 g", r.Stdout);
    }

    [Theory]
    [InlineData("--kwh -1 --country FRA", "--kwh")]
    [InlineData("--kwh abc --country FRA", "abc")]
    [InlineData("--kwh 1 --country ZZZ", "unknown country code")]
    [InlineData("--kwh 1", "--country")]
    [InlineData("--country FRA", "--kwh")]
    public void Bad_input_is_a_usage_error_with_a_clear_message(string args, string mention)
    {
        var r = CocaProcess.Run(["carbon", .. args.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains(mention, r.Stderr);
    }
}
