using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Channels;

/// <summary>
/// One configured channel account, resolved from <c>Channels:&lt;id&gt;:*</c> with the marketplace's defaults filled in.
/// <see cref="Credentials"/> are never logged.
/// </summary>
public sealed record ChannelDefinition(
    string Id,
    MarketplaceKind Marketplace,
    Uri? BaseUrl,
    IReadOnlyDictionary<string, string> Credentials,
    double RatePerSecond,
    int Burst,
    int BatchSize,
    TimeSpan BatchLinger,
    OutOfStockRule OutOfStock,
    TimeSpan CallTimeout,
    TimeSpan LandingGrace)
{
    public override string ToString() => $"{Id} ({Marketplace})";
}
