using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Channels;

/// <summary>
/// One configured channel account, resolved from <c>Channels:&lt;id&gt;:*</c> with the marketplace's defaults filled in.
/// <see cref="Credentials"/> are never logged. When more listings wait than a minute of calls clears and the
/// marketplace has a bulk path (Amazon's listings feed), one call may carry up to <see cref="BulkBatchSize"/> of them,
/// with <see cref="BulkCallTimeout"/>.
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
    TimeSpan LandingGrace,
    int BulkBatchSize = 0,
    TimeSpan BulkCallTimeout = default)
{
    /// <summary>Listings the channel's calls clear in a minute; more waiting makes a bulk call (when there is a bulk path).</summary>
    public double MinuteOfCalls => RatePerSecond * 60 * BatchSize;

    public override string ToString() => $"{Id} ({Marketplace})";
}
