using Akka.Cluster.Sharding;

namespace InventorySync.Cluster.Channels;

/// <summary>Registry key of the <c>channel</c> shard region.</summary>
public sealed class ChannelRegion;

/// <summary>Routes every <see cref="IWithChannel"/> message to its channel's gateway; shards by a stable hash of the id.</summary>
public sealed class ChannelMessageExtractor() : HashCodeMessageExtractor(Shards)
{
    /// <summary>Fixed, not derived from the configured channels: every node must place a channel on the same shard.</summary>
    public const int Shards = 32;

    public override string? EntityId(object message) => message is IWithChannel c ? c.Channel : null;
}
