using Akka.Cluster.Sharding;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Stock;

/// <summary>Registry key of the <c>sku</c> shard region.</summary>
public sealed class SkuRegion;

/// <summary>Routes every <see cref="IWithSku"/> message to its SKU's entity; shards by a stable hash of the SKU.</summary>
public sealed class SkuMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message is IWithSku s ? s.Sku : null;
}
