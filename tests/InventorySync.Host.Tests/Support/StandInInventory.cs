using System.Collections.Concurrent;
using System.Collections.Immutable;
using InventorySync.Cluster;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Host.Tests.Support;

/// <summary>
/// Entities that answer as told and remember every call, for what the HTTP layer must do on its own:
/// authentication, 503 mapping, readiness, and never passing a bad request on.
/// </summary>
public sealed class StandInInventory : IInventoryClient, INodeReadiness
{
    public static readonly StockLevels Levels = new(5, 1, 0);

    public ConcurrentQueue<object> Calls { get; } = new();

    /// <summary>When set, every call throws <see cref="EntityUnavailableException"/>.</summary>
    public bool Unavailable { get; set; }

    /// <summary>How the order ledger answers.</summary>
    public OrderResultCode OrderCode { get; set; } = OrderResultCode.Ok;

    public ReadinessReport Readiness { get; set; } = new(true, true, "stand-in is ready");

    /// <summary>Whether any call so far concerned <paramref name="sku"/>.</summary>
    public bool Touched(string sku) => Calls.Any(call => call switch
    {
        string s => s == sku,
        SkuCommands.ISkuCommand c => c.Sku == sku,
        OrderRequest o => o.Lines.Any(l => l?.Sku == sku),
        _ => false,
    });

    public Task<SkuReply> Send(SkuCommands.ISkuCommand command, CancellationToken ct = default) =>
        Answer(command, () => new SkuReply(command.Sku, SkuResultCode.Ok, null, Levels, null));

    public Task<SkuView> GetSku(string sku, CancellationToken ct = default) =>
        Answer(sku, () => new SkuView(sku, true, Levels, 1, []));

    public Task<IReadOnlyList<HistoryEntry>> History(string sku, int limit, CancellationToken ct = default) =>
        Answer(sku, () => (IReadOnlyList<HistoryEntry>)[]);

    public Task<OrderReply> PlaceOrder(OrderRequest order, CancellationToken ct = default) =>
        Answer(order, () => Reply(order.OrderId, order));

    public Task<OrderReply> CancelOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default) =>
        Answer(orderId, () => Reply(orderId, null));

    public Task<OrderReply> DispatchOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default) =>
        Answer(orderId, () => Reply(orderId, null));

    public Task<OrderReply> GetOrder(string orderId, CancellationToken ct = default) =>
        Answer(orderId, () => Reply(orderId, null));

    public Task<IReadOnlyList<OversellIncident>> Incidents(int limit, CancellationToken ct = default) =>
        Answer(limit, () => (IReadOnlyList<OversellIncident>)[]);

    public Task<ChannelStats> Channel(ChannelCommands.IChannelCommand command, CancellationToken ct = default) =>
        Answer(command, () => new ChannelStats(command.Channel, "webhook", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, null));

    public Task<ReadinessReport> Check(CancellationToken ct = default) => Task.FromResult(Readiness);

    private Task<T> Answer<T>(object call, Func<T> answer)
    {
        Calls.Enqueue(call);
        if (Unavailable) throw new EntityUnavailableException("the stand-in entity did not answer");
        return Task.FromResult(answer());
    }

    private OrderReply Reply(string orderId, OrderRequest? order)
    {
        if (OrderCode != OrderResultCode.Ok) return new OrderReply(OrderCode, $"stand-in answers {OrderCode}", null);
        var lines = order?.Lines.Select(l => new OrderLineRecord(
            l.LineId, l.Sku, l.Quantity, LineStatus.Reserved, LineState.Open, l.Quantity, 0)).ToImmutableArray() ?? [];
        return new OrderReply(OrderResultCode.Ok, null,
            new OrderRecord(orderId, order?.Channel ?? "web", false, lines, DateTimeOffset.UtcNow, null));
    }
}
