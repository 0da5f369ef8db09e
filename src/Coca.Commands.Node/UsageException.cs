namespace Coca.Commands.Node;

/// <summary>The user asked for something that cannot be done as asked: exit code 2, one line on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
