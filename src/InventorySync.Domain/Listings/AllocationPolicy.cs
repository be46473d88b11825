namespace InventorySync.Domain.Listings;

/// <summary>
/// Turns a SKU's availability into what one listing should show (DESIGN.md, Allocation policy). The settings are
/// assumed valid (<see cref="ListingRules.Check(ListingSettings, MarketplaceKind)"/>).
/// </summary>
public static class AllocationPolicy
{
    /// <summary>
    /// Channel share (rounded down) → minus buffer → at or below the minimum publish 0 → cap at the maximum → never
    /// below 0; a positive quantity is active, 0 takes the status of the out-of-stock rule. Negative availability
    /// counts as 0.
    /// </summary>
    public static DesiredListing Desired(long available, ListingSettings settings)
    {
        var quantity = Share(Math.Max(available, 0), settings.Percentage) - settings.Buffer;
        if (quantity <= settings.MinQuantity) quantity = 0;
        if (settings.MaxQuantity is { } max) quantity = Math.Min(quantity, max);
        quantity = Math.Max(quantity, 0);
        return new DesiredListing(quantity, quantity > 0 ? ListingStatus.Active : OutOfStockStatus(settings.OutOfStock));
    }

    /// <summary>The status a listing shows at quantity 0 under its out-of-stock rule.</summary>
    public static ListingStatus OutOfStockStatus(OutOfStockRule rule) => rule switch
    {
        OutOfStockRule.End => ListingStatus.Ended,
        OutOfStockRule.Zero => ListingStatus.Inactive,
        OutOfStockRule.Disable => ListingStatus.Disabled,
        OutOfStockRule.ZeroBackorder => ListingStatus.Backorder,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary><c>floor(available × percentage / 100)</c> without overflowing for any long.</summary>
    private static long Share(long available, int percentage) =>
        available / 100 * percentage + available % 100 * percentage / 100;
}
