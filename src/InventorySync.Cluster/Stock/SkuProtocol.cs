using InventorySync.Domain;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Stock;

/// <summary>Queries a SKU entity answers from memory, after every write it has acknowledged.</summary>
public static class SkuQueries
{
    public interface ISkuQuery : IWithSku, IInventoryMessage;

    /// <summary>Answered with a <see cref="SkuView"/>.</summary>
    public sealed record GetSku(string Sku) : ISkuQuery;

    /// <summary>Answered with a <see cref="SkuReply"/> whose line is the reservation's current state (or NotFound).</summary>
    public sealed record GetReservation(string Sku, string OrderId, string LineId) : ISkuQuery;
}

/// <summary>
/// A SKU's levels and listings as of its last written event. <see cref="SequenceNr"/> is that event's number.
/// </summary>
public sealed record SkuView(
    string Sku, bool Exists, StockLevels Levels, long SequenceNr, IReadOnlyList<ListingView> Listings) : IInventoryMessage;

/// <summary>One entry of a SKU's history, read from its journal.</summary>
public sealed record HistoryEntry(
    long SequenceNr, DateTimeOffset At, string Kind, StockLevels Before, StockLevels After, string? Source,
    string? Reference);

/// <summary>What a ledger partition asks a SKU to do with one order line.</summary>
public enum LineAction { Reserve, Cancel, Dispatch, Get }

/// <summary>
/// A ledger partition's request about one order line. It is told, not asked (no temporary actor, no timer per line):
/// the SKU answers the partition itself with a <see cref="SkuLineReply"/> carrying the same <see cref="Id"/>.
/// </summary>
public sealed record SkuLineRequest(
    long Id, LineAction Action, string Sku, string OrderId, string LineId, long Quantity = 0, bool AllowBackorder = false,
    string Channel = "") : IWithSku, IInventoryMessage
{
    /// <summary>The command (or, for <see cref="LineAction.Get"/>, the query) the SKU decides.</summary>
    public object ToMessage() => Action switch
    {
        LineAction.Reserve => new SkuCommands.Reserve(Sku, OrderId, LineId, Quantity, AllowBackorder, Channel),
        LineAction.Cancel => new SkuCommands.CancelReservation(Sku, OrderId, LineId),
        LineAction.Dispatch => new SkuCommands.DispatchReservation(Sku, OrderId, LineId),
        _ => new SkuQueries.GetReservation(Sku, OrderId, LineId),
    };
}

/// <summary>The SKU's answer to the <see cref="SkuLineRequest"/> with the same <see cref="Id"/>.</summary>
public sealed record SkuLineReply(long Id, SkuReply Reply) : IInventoryMessage;
