namespace InventorySync.Domain.Listings;

/// <summary>The kinds of marketplace API a channel can speak (<c>Channels:&lt;id&gt;:Marketplace</c>).</summary>
public enum MarketplaceKind { Ebay, EbayTrading, Amazon, Rakuten, Mirakl, Shopify, Magento, WooCommerce, Webhook }

/// <summary>What a listing does when its allocated quantity reaches 0 (DESIGN.md, Allocation policy).</summary>
public enum OutOfStockRule
{
    /// <summary>End the listing, relist when stock returns (eBay).</summary>
    End,
    /// <summary>Quantity 0, the listing stays (Amazon, eBay variations and out-of-stock control).</summary>
    Zero,
    /// <summary>Disable the offer for the merchant (Rakuten, PixMania, web shops).</summary>
    Disable,
    /// <summary>Quantity 0 with back-orders on (web shops).</summary>
    ZeroBackorder,
}

/// <summary>A listing's status as shown on the SKU view.</summary>
public enum ListingStatus { Pending, Active, Ended, Inactive, Disabled, Backorder, Error }

/// <summary>A mapping's identity: the channel and the marketplace's own key the mapping was created with.</summary>
public readonly record struct ListingKey(string Channel, string ListingId)
{
    public override string ToString() => $"{Channel}/{ListingId}";
}

/// <summary>
/// Per-listing allocation settings, all resolved (no defaults left to apply): channel share in percent (1–100,
/// rounded down), a buffer subtracted after it, a minimum at or below which 0 is published, an optional maximum, and
/// the out-of-stock rule.
/// </summary>
public sealed record ListingSettings(
    int Percentage, long Buffer, long MinQuantity, long? MaxQuantity, OutOfStockRule OutOfStock) : IInventoryMessage;

/// <summary>What a listing should show: an absolute quantity and status, so re-sending it is always safe.</summary>
public readonly record struct DesiredListing(long Quantity, ListingStatus Status);
