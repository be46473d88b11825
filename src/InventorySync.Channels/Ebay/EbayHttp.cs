using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Ebay;

/// <summary>What the eBay adapters share about HTTP: the API root, bounded answer reading, status verdicts.</summary>
internal static class EbayHttp
{
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
    public static Task<string> ReadAsync(HttpContent content, CancellationToken cancellationToken) =>
        HttpText.ReadStartAsync(content, MaxAnswerChars, cancellationToken);

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
