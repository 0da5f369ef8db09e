namespace Coca.Tracker.Results;

/// <summary>What the machine is, for the CSV's CodeCarbon columns and for reports.</summary>
public sealed record MachineFacts(string Hostname, string Os, string CpuModel, int CpuCount, double RamTotalGb, int GpuCount, string GpuModel);
