using InventorySync.Domain;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Channels;

/// <summary>
/// What a channel gateway keeps across restarts: which SKU each of its listings belongs to (so it can ask them to
/// publish again after a restart or a resync) and whether an operator paused it. Queues and counters are not kept:
/// the listing actors re-send what is not acknowledged.
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
}

/// <summary>A listing version the marketplace applied (or already showed), and what it showed.</summary>
public sealed record AppliedListing(string ListingId, string Sku, long Version, long Quantity, ListingStatus Status)
    : IInventoryMessage;

/// <summary>A channel gateway's durable state: listing id → SKU, the pause flag, and each listing's newest acknowledged version.</summary>
public sealed record ChannelGatewaySnapshot(
    string Channel, IReadOnlyDictionary<string, string> Listings, bool Paused, IReadOnlyList<AppliedListing>? Applied = null)
    : IInventoryMessage;
