using System.CommandLine;
using Coca.Commands.Node.Config;

namespace Coca.Commands.Node;

/// <summary>An hourly grid figure for a moment, and where it came from.</summary>
public sealed record HourlyIntensity(double GramsPerKwh, string Source);

/// <summary>
/// What the site's library adds to <c>coca carbon</c>: its subcommands (<c>series import</c>, <c>recompute</c>, or
/// stand-ins in the node edition) and, for <c>--at TIME</c>, the hourly figure from the store's series (null where
/// <c>[site] carbon</c> is not <c>hourly</c> or the series does not cover the moment). This library knows no store.
/// </summary>
public sealed record CarbonExtensions(IReadOnlyList<Command> Subcommands, Func<CocaSettings, DateTimeOffset, HourlyIntensity?>? AtTime = null);
