using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>
/// What the Trading API's error codes mean for a listing. Warnings, and 21917091 (the revision changes nothing),
/// leave it applied. 518 (call usage limit) is throttled, with no retry time. 291 and 1047 (the listing has ended)
/// are gone. System errors, 219255 (call timeout) and 931/932 (the token is invalid or expired: it is fetched again)
/// are transient. Anything else, such as 21916254 (more listings than a call takes), is rejected with eBay's words.
/// 21916583 (quantity 0 refused: no out-of-stock control) and 488 (the relist's UUID was used) are handled by the
/// client before this.
/// </summary>
internal static class TradingVerdicts
{
    public const string AuctionEnded = "291";
    public const string DuplicateUuid = "488";
    public const string CallUsageLimit = "518";
    public const string InvalidToken = "931";
    public const string HardExpiredToken = "932";
    public const string AuctionClosed = "1047";
    public const string CallTimeout = "219255";
    public const string ZeroWithoutOutOfStockControl = "21916583";
    public const string RedundantRevision = "21917091";

    public static bool IsFailure(TradingError error) => !error.IsWarning && error.Code != RedundantRevision;

    public static bool RefusesTheToken(TradingError error) => error.Code is InvalidToken or HardExpiredToken;

    /// <summary>The verdict on a listing that these errors concern: applied when none of them is a failure.</summary>
    public static Verdict Of(IEnumerable<TradingError> errors, EbayCredentials credentials)
    {
        var failures = errors.Where(IsFailure).ToList();
        if (failures.Count == 0) return Verdict.Applied;
        var message = Describe(failures, credentials);
        return failures.Any(e => e.Code == CallUsageLimit) ? new Verdict(UpdateResult.Throttled, message)
            : failures.Any(e => e.Code is AuctionEnded or AuctionClosed) ? new Verdict(UpdateResult.Gone, message)
            : failures.Any(e => e.IsSystemError || e.Code == CallTimeout || RefusesTheToken(e)) ? Verdict.Transient(message)
            : new Verdict(UpdateResult.Rejected, message);
    }

    public static string Describe(IEnumerable<TradingError> errors, EbayCredentials credentials) =>
        credentials.Excerpt(string.Join("; ", errors.Select(e => $"eBay error {e.Code}: {e.Text}")));
}
