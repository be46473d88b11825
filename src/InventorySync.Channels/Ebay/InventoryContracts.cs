namespace InventorySync.Channels.Ebay;

// The Sell Inventory API v1 shapes the adapter writes and reads (eBay's sell_inventory_v1_oas3.json), camelCase on the
// wire. Only the fields the adapter uses: a bulk update never sends a price, so the price stays as the seller set it.

/// <summary>The body of <c>bulkUpdatePriceQuantity</c>.</summary>
internal sealed record BulkPriceQuantity(IReadOnlyList<PriceQuantity> Requests);

/// <summary>
/// One inventory item: its ship-to-home quantity and the offers of it to revise. eBay lists
/// min(offer availableQuantity, ship-to-home quantity), so both are set.
/// </summary>
internal sealed record PriceQuantity(string Sku, ShipToLocationAvailability ShipToLocationAvailability,
    IReadOnlyList<OfferPriceQuantity> Offers);

internal sealed record ShipToLocationAvailability(int Quantity);

internal sealed record OfferPriceQuantity(string OfferId, int AvailableQuantity);

internal sealed record BulkPriceQuantityResponse(IReadOnlyList<PriceQuantityResponse>? Responses);

/// <summary>One entry's answer: <see cref="StatusCode"/> 200 when it was applied.</summary>
internal sealed record PriceQuantityResponse(
    int StatusCode, string? OfferId, IReadOnlyList<EbayError>? Errors, IReadOnlyList<EbayError>? Warnings);

/// <summary>The answer of <c>publishOffer</c>: the listing id the offer is live under.</summary>
internal sealed record PublishResponse(string? ListingId);

/// <summary>The body of an answer outside 2xx.</summary>
internal sealed record ErrorResponse(IReadOnlyList<EbayError>? Errors);

internal sealed record EbayError(int ErrorId, string? Message, string? LongMessage);
