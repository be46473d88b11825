using System.Net.Http.Headers;
using System.Text;
using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>What the eBay adapters share about HTTP: the API root, bounded answer reading, Retry-After, messages.</summary>
internal static class EbayHttp
{
    public const int MaxMessageLength = 300;

    /// <summary>eBay's production API root, for a channel that names none.</summary>
    public static readonly Uri ProductionRoot = new("https://api.ebay.com/");

    /// <summary>Far more than any answer to the calls made (25 bulk entries, 10 ended items): a guard, not a limit.</summary>
    private const int MaxAnswerChars = 1 << 20;

    /// <summary>
    /// <c>Channels:&lt;id&gt;:BaseUrl</c>, the API root the documented paths are appended to, ending in '/' so that
    /// a root with a path (a sandbox's <c>…/sandbox/ebay</c>) keeps it; eBay's production root when unset.
    /// </summary>
    /// <exception cref="InvalidOperationException">The base URL is not an absolute http or https URL.</exception>
    public static Uri Root(ChannelDefinition channel)
    {
        if (channel.BaseUrl is not { } root) return ProductionRoot;
        if (!root.IsAbsoluteUri || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException(
                $"Channel '{channel.Id}': Channels:{channel.Id}:BaseUrl must be an absolute http or https URL.");
        return root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
    }

    /// <summary>The answer's text, at most <see cref="MaxAnswerChars"/> characters of it.</summary>
    public static async Task<string> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await content.ReadAsStreamAsync(cancellationToken));
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while (text.Length < MaxAnswerChars && (read = await reader.ReadAsync(
                   buffer.AsMemory(0, Math.Min(buffer.Length, MaxAnswerChars - text.Length)), cancellationToken)) > 0)
            text.Append(buffer, 0, read);
        return text.ToString();
    }

    /// <summary>Retry-After as delta-seconds, or as an HTTP-date counted from now (never negative).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider clock) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Whitespace collapsed, at most <see cref="MaxMessageLength"/> characters (never half a surrogate pair).</summary>
    public static string Cut(string text)
    {
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length <= MaxMessageLength) return text;
        var cut = MaxMessageLength - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The verdict on a call eBay answered with a status outside 2xx, before any body-specific rule.</summary>
    public static Verdict ForStatus(int status, TimeSpan? retryAfter, string message) => status switch
    {
        429 => new Verdict(UpdateResult.Throttled, message, retryAfter),
        401 or 408 or >= 500 => new Verdict(UpdateResult.TransientFailure, message),
        _ => new Verdict(UpdateResult.Rejected, message),
    };
}

/// <summary>How eBay answered for one listing, before it is tied to the listing's update.</summary>
internal readonly record struct Verdict(UpdateResult Result, string? Message = null, TimeSpan? RetryAfter = null)
{
    public static Verdict Applied => new(UpdateResult.Applied);

    public static Verdict Transient(string message) => new(UpdateResult.TransientFailure, message);

    public UpdateOutcome For(MarketplaceUpdate update, string? currentListingId = null) =>
        new(update.ListingId, Result, RetryAfter, currentListingId, Message);
}
