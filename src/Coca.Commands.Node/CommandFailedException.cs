namespace Coca.Commands.Node;

/// <summary>
/// A command could not do its work for a reason outside its command line (a store that cannot be opened, say):
/// one line on stderr, exit 1. Libraries of commands derive their own, so that no entry project needs to know them.
/// </summary>
public class CommandFailedException(string message) : Exception(message);
