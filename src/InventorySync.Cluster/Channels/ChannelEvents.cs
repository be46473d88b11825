using InventorySync.Domain;

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
}

/// <summary>A channel gateway's durable state: listing id → SKU, and the pause flag.</summary>
public sealed record ChannelGatewaySnapshot(string Channel, IReadOnlyDictionary<string, string> Listings, bool Paused)
    : IInventoryMessage;
