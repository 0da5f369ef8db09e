namespace Coca.Core.Metering;

/// <summary>
/// Energy from sampled power by the trapezoid rule, kept in integer microjoules so that it adds
/// up with counter-based figures. What happens between samples is not seen: the result is
/// <c>derived</c>, never <c>measured</c>.
/// </summary>
public sealed class PowerIntegrator
{
    private double _lastSeconds;
    private double _lastWatts;
    private bool _has;
    private double _remainderUj;

    public long TotalMicrojoules { get; private set; }

    /// <summary>Adds a power sample taken at <paramref name="seconds"/> (monotonic) and returns the microjoules it added.</summary>
    public long Add(double seconds, double watts)
    {
        if (double.IsNaN(watts) || watts < 0)
        {
            return 0;
        }
        if (!_has)
        {
            _has = true;
            _lastSeconds = seconds;
            _lastWatts = watts;
            return 0;
        }

        var dt = seconds - _lastSeconds;
        if (dt <= 0)
        {
            _lastWatts = watts;
            return 0;
        }
        var exact = (_lastWatts + watts) / 2.0 * dt * 1_000_000.0 + _remainderUj;
        var whole = (long)Math.Floor(exact + 1e-6); // tolerance for binary rounding of the carried fraction
        _remainderUj = exact - whole;
        _lastSeconds = seconds;
        _lastWatts = watts;
        TotalMicrojoules += whole;
        return whole;
    }

    /// <summary>Forget the last sample (the device went away): the next one starts a new segment.</summary>
    public void Break() => _has = false;
}
