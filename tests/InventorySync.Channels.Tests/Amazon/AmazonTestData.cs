using InventorySync.Channels.Amazon;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Tests.Amazon;

internal static class AmazonTestData
{
    public const string AccessToken = "Atza|IwEBI-static-7c1f9a2e-secret";

    /// <summary>What the policy gives an Amazon listing: inactive at 0, active above.</summary>
    public static MarketplaceUpdate Update(string sku, long quantity, long version = 1) =>
        new(sku, sku, sku, quantity, quantity > 0 ? ListingStatus.Active : ListingStatus.Inactive, version, null);

    /// <summary>Options that poll a feed every 20 ms and, unless told, send batches above 3 updates as a feed.</summary>
    public static AmazonListingsOptions FastFeeds(int feedThreshold = 3) => new(feedThreshold, TimeSpan.FromMilliseconds(20));
}
