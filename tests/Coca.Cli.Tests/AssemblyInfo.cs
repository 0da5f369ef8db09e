// Coca4ai runs on Linux; these end-to-end tests use Unix file modes and signals.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
