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
