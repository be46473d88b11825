namespace InventorySync.Sandbox.Ebay;

/// <summary>An error or warning of the eBay Trading API, as its <c>Errors</c> element carries it.</summary>
internal sealed record TradingError(
    int Code,
    string ShortMessage,
    string LongMessage,
    IReadOnlyList<string> Parameters,
    bool IsWarning = false,
    bool IsSystemError = false);

/// <summary>The Trading API errors the sandbox answers with, numbered as eBay's error list numbers them.</summary>
internal static class TradingErrors
{
    public static TradingError UnsupportedCall(string callName) => new(
        2, "Unsupported API call.", $"The API call \"{callName}\" is invalid or not supported in this release.", [callName]);

    public static TradingError XmlParse(string detail) => new(5, "XML Parse error.", $"XML Error Text: \"{detail}\".", [detail]);

    public static TradingError InvalidInput(string tag, string detail) => new(
        37, "Input data is invalid.", $"Input data for tag <{tag}> is invalid or missing. {detail}", [tag]);

    public static TradingError AuctionEnded(string itemId) => new(
        291, "Auction ended.", $"You are not allowed to revise ended listings: item {itemId} has ended.", [itemId]);

    /// <summary>The UUID was already used: the parameters carry the application id and the item id it created.</summary>
    public static TradingError DuplicateUuid(string itemId) => new(
        488, "Duplicate UUID used.", $"The specified UUID has already been used; ListedByRequestAppId=1, item ID={itemId}.",
        ["1", itemId]);

    public static TradingError CallUsageLimitReached { get; } = new(
        518, "Call usage limit has been reached.", "Your application has exceeded usage limit on this call.", []);

    public static TradingError InvalidAuthToken { get; } = new(
        931, "Auth token is invalid.", "Validation of the authentication token in API request failed.", []);

    public static TradingError AuctionClosed(string itemId) => new(
        1047, "Auction has been closed.", $"The auction has already been closed: item {itemId} has ended.", [itemId]);

    public static TradingError InternalError(string? itemId) => new(
        10007, "Internal error to the application.", "Internal application error.",
        itemId is null ? [] : [itemId], IsSystemError: true);

    public static TradingError TooManyInventoryStatus(int limit) => new(
        21916254, "Too many InventoryStatus containers.",
        $"You can revise the price and quantity of at most {limit} listings in one ReviseInventoryStatus call.", [$"{limit}"]);

    public static TradingError ZeroQuantityWithoutOutOfStockControl(string itemId) => new(
        21916583, "Quantity must be greater than 0.",
        $"Item {itemId} has no out-of-stock control: the quantity of a fixed-price listing must be greater than 0.", [itemId]);

    public static TradingError QuantityUnchanged(string itemId) => new(
        21917091, "Requested StartPrice and Quantity revision is redundant.",
        "The existing price and quantity values are identical to those specified in the request and, therefore, have not been modified.",
        [itemId], IsWarning: true);
}
