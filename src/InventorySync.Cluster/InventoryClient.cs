using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Incidents;
using InventorySync.Cluster.Orders;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster;

internal sealed class InventoryClient(ActorSystem system, IReadOnlyActorRegistry registry, InventorySettings settings)
    : IInventoryClient
{
    private readonly Lazy<SqlReadJournal> _journal = new(() =>
        PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier));

    private IActorRef Skus => registry.Get<SkuRegion>();
    private IActorRef Orders => registry.Get<OrderRegion>();
    private IActorRef Channels => registry.Get<ChannelRegion>();

    public Task<SkuReply> Send(SkuCommands.ISkuCommand command, CancellationToken ct = default) =>
        Ask<SkuReply>(Skus, command, $"SKU {command.Sku}", ct);

    public Task<SkuView> GetSku(string sku, CancellationToken ct = default) =>
        Ask<SkuView>(Skus, new SkuQueries.GetSku(sku), $"SKU {sku}", ct);

    public async Task<IReadOnlyList<HistoryEntry>> History(string sku, int limit, CancellationToken ct = default)
    {
        var view = await GetSku(sku, ct);
        if (!view.Exists || limit <= 0) return [];
        var from = Math.Max(1, view.SequenceNr - limit);
        var envelopes = await _journal.Value
            .CurrentEventsByPersistenceId(SkuEntity.PersistenceIdFor(sku), from, view.SequenceNr)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(ct);
        var entries = new List<HistoryEntry>(envelopes.Count);
        StockLevels? before = from == 1 ? StockLevels.Empty : null;
        foreach (var envelope in envelopes)
        {
            if (envelope.Event is not SkuEvents.ISkuEvent e) continue;
            if (before is { } b) entries.Add(SkuHistory.Entry(envelope.SequenceNr, e, b));
            before = e.After;
        }
        entries.Reverse();
        return entries.Take(limit).ToList();
    }

    public Task<OrderReply> PlaceOrder(OrderRequest order, CancellationToken ct = default) =>
        Ask<OrderReply>(Orders, new LedgerCommands.PlaceOrder(order), $"order {order.OrderId}", ct);

    public Task<OrderReply> CancelOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default) =>
        Ask<OrderReply>(Orders, new LedgerCommands.CancelOrder(orderId, lines), $"order {orderId}", ct);

    public Task<OrderReply> DispatchOrder(string orderId, IReadOnlyList<string>? lines, CancellationToken ct = default) =>
        Ask<OrderReply>(Orders, new LedgerCommands.DispatchOrder(orderId, lines), $"order {orderId}", ct);

    public Task<OrderReply> GetOrder(string orderId, CancellationToken ct = default) =>
        Ask<OrderReply>(Orders, new LedgerCommands.GetOrder(orderId), $"order {orderId}", ct);

    public async Task<IReadOnlyList<OversellIncident>> Incidents(int limit, CancellationToken ct = default)
    {
        // Incidents are exceptional, so reading the tag from the start stays cheap.
        var envelopes = await _journal.Value.CurrentEventsByTag(OversellTagger.Tag, Akka.Persistence.Query.Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).WaitAsync(ct);
        return envelopes
            .Select(e => e.Event)
            .OfType<SkuEvents.OversellRecorded>()
            .Select(e => e.Incident)
            .OrderByDescending(i => i.At)
            .Take(limit)
            .ToList();
    }

    public Task<ChannelStats> Channel(ChannelCommands.IChannelCommand command, CancellationToken ct = default) =>
        Ask<ChannelStats>(Channels, command, $"channel {command.Channel}", ct);

    private async Task<T> Ask<T>(IActorRef target, object message, string what, CancellationToken ct)
    {
        try
        {
            return await target.Ask<T>(message, settings.AskTimeout, ct);
        }
        catch (AskTimeoutException e)
        {
            throw new EntityUnavailableException(
                $"{what} did not answer within {settings.AskTimeout.TotalSeconds:0.#} s; retry shortly.", e);
        }
    }
}
