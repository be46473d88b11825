using System.Text;
using Akka.Cluster.Sharding;

namespace InventorySync.Cluster.Orders;

/// <summary>Registry key of the <c>order</c> shard region.</summary>
public sealed class OrderRegion;

/// <summary>
/// Routes an order's messages to its ledger partition: a stable hash (FNV-1a of the UTF-8 order id) modulo the fixed
/// number of partitions. One shard per partition, so partitions spread over the cluster's nodes.
/// </summary>
public sealed class LedgerMessageExtractor(int partitions) : IMessageExtractor
{
    public static int PartitionOf(string orderId, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(orderId))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    public string? EntityId(object message) => message switch
    {
        IWithOrderId o => PartitionOf(o.OrderId, partitions).ToString(),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
