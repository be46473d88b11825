using InventorySync.Domain;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Channels;

/// <summary>Anything addressed to one channel gateway (region <c>channel</c>, one entity per channel id).</summary>
public interface IWithChannel
{
    string Channel { get; }
}

public static class ChannelCommands
{
    public interface IChannelCommand : IWithChannel, IInventoryMessage;

    /// <summary>
    /// A listing actor's desired state for one listing, re-sent until a version at least this one is acknowledged.
    /// <see cref="PublishedQuantity"/>/<see cref="PublishedStatus"/> are what the listing last had acknowledged (null
    /// before its first sync), so a gateway that just started can still suppress values the marketplace already has.
    /// <see cref="Force"/> (resync) sends even when the value looks applied.
    /// </summary>
    public sealed record Publish(
        string Channel, string ListingId, string CurrentListingId, string Sku, long Quantity, ListingStatus Status,
        long Version, long? PublishedQuantity, ListingStatus? PublishedStatus, bool Force) : IChannelCommand;

    /// <summary>The listing was unmapped: drop what is queued for it and forget it.</summary>
    public sealed record Forget(string Channel, string ListingId) : IChannelCommand;

    /// <summary>Stop calling the marketplace (updates keep coalescing); answered with <see cref="ChannelStats"/>.</summary>
    public sealed record Pause(string Channel) : IChannelCommand;

    /// <summary>Call the marketplace again; answered with <see cref="ChannelStats"/>.</summary>
    public sealed record Resume(string Channel) : IChannelCommand;

    /// <summary>Re-send every listing of the channel, bypassing suppression; answered with <see cref="ChannelStats"/>.</summary>
    public sealed record Resync(string Channel) : IChannelCommand;

    /// <summary>Starts the gateway if it is not running (sent by every node on a timer); no answer.</summary>
    public sealed record Wake(string Channel) : IChannelCommand;
}

public static class ChannelQueries
{
    /// <summary>Answered with <see cref="ChannelStats"/>.</summary>
    public sealed record GetStats(string Channel) : ChannelCommands.IChannelCommand;
}

/// <summary>
/// A gateway's counters and state, as the HTTP contract shows them. Counters count listing updates, except
/// <see cref="Calls"/> (marketplace calls made). <see cref="OldestPendingAge"/> is the age of the oldest update not yet
/// applied (queued or in flight); null when nothing is pending.
/// </summary>
public sealed record ChannelStats(
    string Channel,
    string Marketplace,
    int Listings,
    int Queued,
    int InFlight,
    long Applied,
    long Coalesced,
    long Suppressed,
    long Throttled,
    long Failures,
    long Rejected,
    long Calls,
    double Tokens,
    bool Paused,
    TimeSpan? OldestPendingAge) : IInventoryMessage;
