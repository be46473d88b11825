using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Channels;

/// <summary>
/// One listing's desired state as handed to a marketplace adapter. <see cref="ListingId"/> is the mapping key;
/// <see cref="CurrentListingId"/> the id the marketplace uses now (differs after an eBay Trading relist).
/// <see cref="KnownStatus"/> is what the marketplace last told us (null when unknown), so an adapter knows when a
/// positive quantity needs a relist or a reactivation.
/// </summary>
public sealed record MarketplaceUpdate(
    string ListingId, string CurrentListingId, string Sku, long Quantity, ListingStatus Status, long Version,
    ListingStatus? KnownStatus);

/// <summary>How a marketplace answered one listing's update.</summary>
public enum UpdateResult
{
    /// <summary>The marketplace applied it.</summary>
    Applied,
    /// <summary>Refused for rate; retry after <see cref="UpdateOutcome.RetryAfter"/> when given, else back off.</summary>
    Throttled,
    /// <summary>A failure worth retrying (5xx, timeout reported by the marketplace, network).</summary>
    TransientFailure,
    /// <summary>The listing is ended or gone: it needs a relist to show a positive quantity.</summary>
    Gone,
    /// <summary>Refused for good: needs an operator (<see cref="UpdateOutcome.Message"/> says why).</summary>
    Rejected,
}

/// <summary>
/// The outcome for one listing of a batch. <see cref="CurrentListingId"/> is set when the marketplace gave the listing
/// a new id (relist); <see cref="Message"/> carries the marketplace's own words for failures and rejections.
/// </summary>
public sealed record UpdateOutcome(
    string ListingId, UpdateResult Result, TimeSpan? RetryAfter = null, string? CurrentListingId = null,
    string? Message = null);

/// <summary>
/// The small interface between a channel gateway and a marketplace adapter. The gateway hands it at most the channel's
/// batch size of updates (one per listing) and applies its own rate limit, retries and timeouts; the adapter makes the
/// marketplace's calls and classifies every outcome, returning one per update. An exception means the whole batch
/// failed transiently. Adapters never retry by themselves.
/// </summary>
public interface IMarketplaceClient
{
    Task<IReadOnlyList<UpdateOutcome>> SendAsync(IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken);
}

/// <summary>Makes the client of one configured channel.</summary>
public interface IMarketplaceClientFactory
{
    IMarketplaceClient Create(ChannelDefinition channel);
}
