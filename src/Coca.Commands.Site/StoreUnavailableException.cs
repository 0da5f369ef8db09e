using Coca.Commands.Node;

namespace Coca.Commands.Site;

/// <summary>The store cannot be reached or opened: exit 1 with one line.</summary>
internal sealed class StoreUnavailableException(string message) : CommandFailedException(message);
