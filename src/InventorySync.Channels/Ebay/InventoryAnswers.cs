using System.Text.Json;
using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>An Inventory API answer as read: its status, its text and the wait it asks for (429).</summary>
internal sealed record RestAnswer(int Status, string Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and <= 299;
}

/// <summary>
/// The verdicts on the Inventory API's answers. System errors (25001, 25025 concurrent access) and 5xx are transient;
/// 429 is throttled with its Retry-After; 401 is transient (the token is fetched again); "this offer is not available"
/// (25713) means the offer has no live listing, so it is gone where the call needs one (a bulk revision, a
/// withdrawal); any other error is rejected with eBay's words.
/// </summary>
internal static class InventoryAnswers
{
    private const int SystemError = 25001;
    private const int ConcurrentAccess = 25025;
    private const int OfferNotAvailable = 25713;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The verdict on one entry of a bulk update's answer.</summary>
    public static Verdict Entry(PriceQuantityResponse entry, EbayCredentials credentials)
    {
        if (entry.StatusCode == 200) return Verdict.Applied;
        var errors = entry.Errors ?? [];
        var message = Describe($"entry status {entry.StatusCode}", errors, credentials);
        return errors.Any(e => e.ErrorId == OfferNotAvailable) ? new Verdict(UpdateResult.Gone, message)
            : errors.Any(IsSystemError) ? Verdict.Transient(message)
            : EbayHttp.ForStatus(entry.StatusCode, null, message);
    }

    /// <summary>
    /// The verdict on a call answered outside 2xx. <paramref name="goneIfNotAvailable"/>: an offer that is not
    /// available (25713, or 404) counts as a listing that is gone, for calls that act on a live listing.
    /// </summary>
    public static Verdict Failure(RestAnswer answer, bool goneIfNotAvailable, EbayCredentials credentials)
    {
        var errors = Read<ErrorResponse>(answer.Body)?.Errors ?? [];
        var message = errors.Count > 0
            ? Describe($"HTTP {answer.Status}", errors, credentials)
            : credentials.Excerpt(answer.Body.Length > 0 ? $"HTTP {answer.Status}: {answer.Body}" : $"HTTP {answer.Status}");
        return goneIfNotAvailable && (answer.Status == 404 || errors.Any(e => e.ErrorId == OfferNotAvailable))
            ? new Verdict(UpdateResult.Gone, message)
            : errors.Any(IsSystemError)
                ? Verdict.Transient(message)
                : EbayHttp.ForStatus(answer.Status, answer.RetryAfter, message);
    }

    /// <summary>The body as <typeparamref name="T"/>, or null when it is not that JSON.</summary>
    public static T? Read<T>(string body) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize<T>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsSystemError(EbayError error) => error.ErrorId is SystemError or ConcurrentAccess;

    private static string Describe(string what, IReadOnlyList<EbayError> errors, EbayCredentials credentials) =>
        credentials.Excerpt(errors.Count == 0
            ? what
            : $"{what}: " + string.Join("; ", errors.Select(e =>
                $"eBay error {e.ErrorId}: {(string.IsNullOrWhiteSpace(e.LongMessage) ? e.Message : e.LongMessage)}")));
}
