using System.Collections.Immutable;
using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Stock;

/// <summary>
/// A SKU's state in a form that serializes plainly: open reservations, and the closed lines and references still
/// inside their windows, oldest first. The back-order index is rebuilt from the open reservations.
/// </summary>
public sealed record SkuSnapshot(
    string Sku,
    bool Exists,
    StockLevels Levels,
    IReadOnlyList<Reservation> Open,
    IReadOnlyList<ClosedLine> Closed,
    IReadOnlyList<StockChangeRecord> References,
    long NextSequence,
    IReadOnlyList<ListingState>? Listings = null,
    long Revision = 0) : IInventoryMessage
{
    public static SkuSnapshot Of(SkuState s) => new(
        s.Sku, s.Exists, s.Levels,
        s.Open.Values.ToList(), // in any order: the back-order index is rebuilt from each one's Sequence
        s.ClosedOrder.Select(k => s.Closed[k]).ToList(),
        s.ReferenceOrder.Select(r => s.References[r]).ToList(),
        s.NextSequence,
        s.Listings.Values.ToList(),
        s.Revision);

    public SkuState ToState(SkuLimits limits) => SkuState.Empty(Sku, limits) with
    {
        Exists = Exists,
        Levels = Levels,
        Open = Open.ToImmutableDictionary(r => r.Key),
        Backorders = Open.Where(r => r.BackorderedQuantity > 0)
            .ToImmutableSortedDictionary(r => r.Sequence, r => r.Key),
        Closed = Closed.ToImmutableDictionary(c => c.Key),
        ClosedOrder = ImmutableQueue.CreateRange(Closed.Select(c => c.Key)),
        References = References.ToImmutableDictionary(r => r.Reference),
        ReferenceOrder = ImmutableQueue.CreateRange(References.Select(r => r.Reference)),
        NextSequence = NextSequence,
        Listings = (Listings ?? []).ToImmutableDictionary(x => x.Key),
        Revision = Revision,
    };
}
