using InventorySync.Domain.Validation;

namespace InventorySync.Domain.Listings;

/// <summary>
/// The rules of a listing mapping, each returning a readable error or null: the HTTP layer checks the optional fields
/// of <c>PUT …/listings/{channel}/{listingId}</c>, and the SKU entity checks resolved settings again, so a bad mapping
/// never reaches the journal whichever way it came in.
/// </summary>
public static class ListingRules
{
    public const int DefaultPercentage = 100;
    public const int MaxListingIdLength = 200;
    public const int MaxChannelIdLength = InputRules.MaxIdentifierLength;

    /// <summary>The first rule the optional HTTP fields break; null (absent) fields take their defaults.</summary>
    public static string? Check(
        int? percentage, long? buffer, long? minQuantity, long? maxQuantity, string? outOfStock, MarketplaceKind marketplace) =>
        Percentage(percentage)
        ?? NotNegative("buffer", buffer)
        ?? NotNegative("minQuantity", minQuantity)
        ?? NotNegative("maxQuantity", maxQuantity)
        ?? MaxNotBelowMin(minQuantity, maxQuantity)
        ?? OutOfStock(outOfStock, marketplace);

    /// <summary>The first rule resolved settings break for a listing on <paramref name="marketplace"/>.</summary>
    public static string? Check(ListingSettings settings, MarketplaceKind marketplace) =>
        Check(settings.Percentage, settings.Buffer, settings.MinQuantity, settings.MaxQuantity, null, marketplace)
        ?? (Enum.IsDefined(settings.OutOfStock)
            ? Supported(settings.OutOfStock, marketplace)
            : UnknownOutOfStock(settings.OutOfStock.ToString()));

    /// <summary>
    /// The settings the optional HTTP fields stand for: percentage 100, buffer 0, minimum 0, no maximum, and the
    /// channel's out-of-stock rule. Check the fields first: settings that break a rule throw
    /// <see cref="ArgumentException"/> with the rule's message.
    /// </summary>
    public static ListingSettings Resolve(
        int? percentage, long? buffer, long? minQuantity, long? maxQuantity, string? outOfStock,
        MarketplaceKind marketplace, OutOfStockRule channelDefault)
    {
        var rule = channelDefault;
        if (outOfStock is not null && !Marketplaces.TryParseOutOfStock(outOfStock, out rule))
        {
            throw new ArgumentException(UnknownOutOfStock(outOfStock));
        }
        var settings = new ListingSettings(percentage ?? DefaultPercentage, buffer ?? 0, minQuantity ?? 0, maxQuantity, rule);
        return Check(settings, marketplace) is { } error ? throw new ArgumentException(error) : settings;
    }

    /// <summary>
    /// The marketplace's own key of a listing. It may hold '/' (a WooCommerce <c>product/variation</c> id) between
    /// non-empty parts, since it is the tail of the listing's URL.
    /// </summary>
    public static string? CheckListingId(string? value) =>
        InputRules.Identifier("listingId", value, MaxListingIdLength)
        ?? (value!.Split('/').Any(part => part.Length == 0)
            ? "listingId must not start or end with '/' or contain '//'."
            : null);

    /// <summary>A channel id is also a configuration key and a sharding entity id, so it keeps to a safe alphabet.</summary>
    public static string? CheckChannelId(string? value) =>
        InputRules.Identifier("channel", value, MaxChannelIdLength)
        ?? (value!.All(IsChannelIdCharacter)
            ? null
            : "channel may contain only the letters A-Z and a-z, digits, '.', '_' and '-'.");

    private static bool IsChannelIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    private static string? Percentage(int? value) => value is null or (>= 1 and <= 100)
        ? null
        : $"percentage must be between 1 and 100 (got {value}).";

    private static string? NotNegative(string field, long? value) =>
        value < 0 ? $"{field} must not be negative (got {value})." : null;

    private static string? MaxNotBelowMin(long? minQuantity, long? maxQuantity) =>
        maxQuantity < (minQuantity ?? 0)
            ? $"maxQuantity must not be below minQuantity (got maxQuantity {maxQuantity}, minQuantity {minQuantity})."
            : null;

    private static string? OutOfStock(string? value, MarketplaceKind marketplace) => value is null
        ? null
        : Marketplaces.TryParseOutOfStock(value, out var rule) ? Supported(rule, marketplace) : UnknownOutOfStock(value);

    private static string? Supported(OutOfStockRule rule, MarketplaceKind marketplace)
    {
        var profile = Marketplaces.Profile(marketplace);
        return profile.Supports(rule)
            ? null
            : $"outOfStock '{Marketplaces.WireName(rule)}' is not supported by {profile.WireName} " +
              $"(supported: {string.Join(", ", profile.SupportedOutOfStock.Select(Marketplaces.WireName))}).";
    }

    private static string UnknownOutOfStock(string value) =>
        $"outOfStock must be one of {string.Join(", ", Marketplaces.OutOfStockRules.Select(Marketplaces.WireName))} " +
        $"(got '{value}').";
}
