using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Tests.Ebay;

internal static class EbayUpdates
{
    /// <summary>An update of one listing; the current listing id is the mapping key unless given.</summary>
    public static MarketplaceUpdate Update(
        string listingId, long quantity, ListingStatus status = ListingStatus.Active,
        ListingStatus? known = ListingStatus.Active, string sku = "MUG", long version = 1, string? currentListingId = null) =>
        new(listingId, currentListingId ?? listingId, sku, quantity, status, version, known);

    public static MarketplaceUpdate Ended(string listingId, string sku = "MUG", ListingStatus? known = ListingStatus.Active) =>
        Update(listingId, 0, ListingStatus.Ended, known, sku);
}
