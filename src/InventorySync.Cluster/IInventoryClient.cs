using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster;

/// <summary>An entity did not answer in time (failover, overload, journal outage): retry after a moment.</summary>
public sealed class EntityUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What the HTTP bridge (or any other front end) uses to talk to the entities, wherever in the cluster they live.
/// Every call throws <see cref="EntityUnavailableException"/> when the entity does not answer in time.
/// </summary>
public interface IInventoryClient
{
    Task<SkuReply> Send(SkuCommands.ISkuCommand command, CancellationToken ct = default);
    Task<SkuView> GetSku(string sku, CancellationToken ct = default);
    Task<IReadOnlyList<HistoryEntry>> History(string sku, int limit, CancellationToken ct = default);
    Task<OrderReply> PlaceOrder(OrderRequest order, CancellationToken ct = default);
    Task<OrderReply> CancelOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default);
    Task<OrderReply> DispatchOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default);
    Task<OrderReply> GetOrder(string orderId, CancellationToken ct = default);
    /// <summary>Oversell incidents across all SKUs, newest first.</summary>
    Task<IReadOnlyList<OversellIncident>> Incidents(int limit, CancellationToken ct = default);
    /// <summary>A channel gateway's stats, or the outcome of pausing, resuming or resyncing it.</summary>
    Task<ChannelStats> Channel(ChannelCommands.IChannelCommand command, CancellationToken ct = default);
}
