namespace Coca.Sources.Redfish;

/// <summary>How the BMC is logged in to.</summary>
public enum RedfishAuth
{
    /// <summary>HTTP basic authentication on every request.</summary>
    Basic,
    /// <summary>A Redfish session (<c>POST /redfish/v1/SessionService/Sessions</c>), its token on each request, renewed on a 401.</summary>
    Session,
}

/// <summary>Where and how a node's BMC is read through Redfish.</summary>
public sealed class RedfishOptions
{
    /// <summary>The BMC's base address, <c>https://bmc-n51</c>; without user information (credentials come from a file).</summary>
    public required Uri BaseAddress { get; init; }

    public RedfishCredentials? Credentials { get; init; }
    public RedfishAuth Auth { get; init; } = RedfishAuth.Basic;

    /// <summary>PEM file of the CA the BMC's certificate must chain to; null: the system's store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Accept any certificate (a warning at every start): only for a BMC on a trusted management network.</summary>
    public bool Insecure { get; init; }

    /// <summary>Seconds one request may take before it is abandoned.</summary>
    public double TimeoutSeconds { get; init; } = 5;

    /// <summary>Seconds between readings (iDRAC refreshes its power about once a minute; reading more often only sees the same value).</summary>
    public double IntervalSeconds { get; init; } = 10;
}
