using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Cluster.Stock;

/// <summary>Turns a SKU's journal events into history entries: what happened, the levels before and after, who and why.</summary>
public static class SkuHistory
{
    public static HistoryEntry Entry(long sequenceNr, ISkuEvent e, StockLevels before)
    {
        var (source, reference) = e switch
        {
            StockCounted c => (c.Source, c.Reference),
            StockAdjusted a => (a.Source, a.Reference),
            AdjustmentRefused r => (r.Source, r.Reference),
            Reserved r => (r.Channel, $"{r.OrderId}/{r.LineId}"),
            ReservationRejected r => (r.Channel, $"{r.OrderId}/{r.LineId}"),
            ReservationCancelled c => ("order", $"{c.OrderId}/{c.LineId}"),
            ReservationDispatched d => ("order", $"{d.OrderId}/{d.LineId}"),
            OversellRecorded o => (o.Incident.Channel ?? o.Incident.Cause, o.Incident.Reference),
            ListingMapped m => (m.Channel, m.ListingId),
            ListingUnmapped u => (u.Channel, u.ListingId),
            ListingSynced y => (y.Channel, $"{y.ListingId}@{y.Version}: {y.Quantity} {y.Status.ToString().ToLowerInvariant()}"),
            ListingRefused f => (f.Channel, $"{f.ListingId}@{f.Version}: {f.Message}"),
            _ => ((string?)null, (string?)null),
        };
        return new HistoryEntry(sequenceNr, e.At, KindOf(e), before, e.After, source, reference);
    }
}
