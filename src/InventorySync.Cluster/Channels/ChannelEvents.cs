using InventorySync.Domain;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Channels;

/// <summary>
/// What a channel gateway keeps across restarts: which SKU each of its listings belongs to (so it can ask them to
/// publish again after a restart or a resync), whether an operator paused it, and each listing's newest acknowledged
/// and newest sent version (so no older version is sent after them). Queues and counters are not kept: the listing
/// actors re-send what is not acknowledged.
/// </summary>
public static class ChannelEvents
{
    public interface IChannelEvent : IInventoryMessage
    {
        string Channel { get; }
    }

    /// <summary>A listing published to the gateway for the first time (or from another SKU than before).</summary>
    public sealed record ListingRegistered(string Channel, string ListingId, string Sku, DateTimeOffset At) : IChannelEvent;

    /// <summary>The listing was unmapped.</summary>
    public sealed record ListingForgotten(string Channel, string ListingId, DateTimeOffset At) : IChannelEvent;

    /// <summary>An operator paused the channel: no marketplace calls until it is resumed.</summary>
    public sealed record ChannelPaused(string Channel, DateTimeOffset At) : IChannelEvent;

    public sealed record ChannelResumed(string Channel, DateTimeOffset At) : IChannelEvent;

    /// <summary>
    /// The marketplace shows these versions of these listings. Written before they are acknowledged to their SKUs, so a
    /// later incarnation of the gateway knows every acknowledged version and never sends an older one after it.
    /// </summary>
    public sealed record ListingsApplied(string Channel, IReadOnlyList<AppliedListing> Listings, DateTimeOffset At)
        : IChannelEvent;

    /// <summary>
    /// These versions of these listings are about to be sent to the marketplace (only versions newer than any sent
    /// before). Written before the call goes out: the marketplace may apply a version and still fail the call, so a
    /// later incarnation of the gateway must know it may show it and never send an older version after it.
    /// </summary>
    public sealed record ListingsSent(string Channel, IReadOnlyList<SentListing> Listings, DateTimeOffset At) : IChannelEvent;
}

/// <summary>The newest version of a listing sent to the marketplace.</summary>
public sealed record SentListing(string ListingId, string Sku, long Version) : IInventoryMessage;

/// <summary>A listing version the marketplace applied (or already showed), and what it showed.</summary>
public sealed record AppliedListing(string ListingId, string Sku, long Version, long Quantity, ListingStatus Status)
    : IInventoryMessage;

/// <summary>
/// A channel gateway's durable state: listing id → SKU, the pause flag, and each listing's newest acknowledged version
/// and newest sent version.
/// </summary>
public sealed record ChannelGatewaySnapshot(
    string Channel, IReadOnlyDictionary<string, string> Listings, bool Paused, IReadOnlyList<AppliedListing>? Applied = null,
    IReadOnlyList<SentListing>? Sent = null)
    : IInventoryMessage;
