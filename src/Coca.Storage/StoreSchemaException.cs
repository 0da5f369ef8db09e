namespace Coca.Storage;

/// <summary>
/// A store opened for reading whose schema is older than the code, or absent: reading does not migrate, so the
/// message says what to run. One line, meant for the user.
/// </summary>
public sealed class StoreSchemaException(string message) : Exception(message);
