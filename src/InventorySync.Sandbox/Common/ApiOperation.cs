namespace InventorySync.Sandbox.Common;

/// <summary>A marketplace API operation, named as the marketplace names it (operationId or Trading call name).</summary>
/// <param name="RateLimit">The rate limit it spends a token of; none when null.</param>
/// <param name="IsBatch">Whether it carries several entries that succeed or fail one by one.</param>
internal sealed record ApiOperation(string Name, string? RateLimit = null, bool IsBatch = false);
