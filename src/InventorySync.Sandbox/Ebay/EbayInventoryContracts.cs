namespace InventorySync.Sandbox.Ebay;

// The eBay Sell Inventory API v1 shapes the sandbox reads and writes (sell_inventory_v1_oas3.json).

internal sealed record BulkPriceQuantity(IReadOnlyList<PriceQuantity>? Requests);

internal sealed record PriceQuantity(
    IReadOnlyList<OfferPriceQuantity>? Offers,
    ShipToLocationAvailability? ShipToLocationAvailability,
    string? Sku);

internal sealed record OfferPriceQuantity(int? AvailableQuantity, string? OfferId, Amount? Price);

internal sealed record Amount(string? Currency, string? Value);

internal sealed record ShipToLocationAvailability(int? Quantity);

internal sealed record BulkPriceQuantityResponse(IReadOnlyList<PriceQuantityResponse> Responses);

internal sealed record PriceQuantityResponse(
    int StatusCode,
    string? OfferId,
    string? Sku,
    IReadOnlyList<EbayError>? Errors = null,
    IReadOnlyList<EbayError>? Warnings = null);

internal sealed record WithdrawResponse(string ListingId);

internal sealed record PublishResponse(string ListingId);

internal sealed record EbayOfferDetails(
    string OfferId,
    string? Sku,
    string MarketplaceId,
    string Format,
    int AvailableQuantity,
    string Status,
    ListingDetails Listing);

internal sealed record ListingDetails(string ListingId, string ListingStatus, int SoldQuantity);

internal sealed record EbayErrorResponse(IReadOnlyList<EbayError> Errors);

internal sealed record EbayError(
    int ErrorId,
    string Domain,
    string Category,
    string Message,
    string? LongMessage = null,
    IReadOnlyList<EbayErrorParameter>? Parameters = null);

internal sealed record EbayErrorParameter(string Name, string Value);

/// <summary>The errors the sandbox's eBay REST APIs answer with, numbered as eBay's documentation numbers them.</summary>
internal static class EbayErrors
{
    private const string Inventory = "API_INVENTORY";

    public static EbayError InvalidAccessToken { get; } = new(
        1001, "OAuth", "REQUEST", "Invalid access token",
        "Invalid access token. Check the value of the Authorization HTTP request header.");

    public static EbayError TooManyRequests { get; } = new(
        2001, "ACCESS", "REQUEST", "Too many requests", "The request limit has been reached for the resource.");

    public static EbayError SystemError { get; } = new(25001, Inventory, "APPLICATION", "A system error has occurred.");

    public static EbayError UserError(string info) => new(25002, Inventory, "REQUEST", $"A user error has occurred. {info}");

    public static EbayError InvalidQuantity(string info) => new(
        25004, Inventory, "REQUEST",
        $"The eBay listing associated with the inventory item, or the unpublished offer has an invalid quantity. {info}");

    public static EbayError SystemWarning(string info) => new(25402, Inventory, "APPLICATION", $"System warning. {info}");

    public static EbayError InvalidValue(string field, string info) => new(
        25709, Inventory, "REQUEST", $"Invalid value for {field}. {info}",
        Parameters: [new EbayErrorParameter("fieldName", field)]);

    public static EbayError OfferNotAvailable(string info) => new(
        25713, Inventory, "REQUEST", $"This Offer is not available : {info}.");
}
