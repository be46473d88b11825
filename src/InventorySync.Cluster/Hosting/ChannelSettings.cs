using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Hosting;

/// <summary>One channel account as configured under <c>Channels:&lt;id&gt;:*</c>; unset values take the marketplace's defaults.</summary>
public sealed class ChannelSettings
{
    /// <summary><c>ebay</c> | <c>ebay-trading</c> | <c>amazon</c> | <c>rakuten</c> | <c>mirakl</c> | <c>shopify</c> |
    /// <c>magento</c> | <c>woocommerce</c> | <c>webhook</c>.</summary>
    public string? Marketplace { get; set; }

    /// <summary>
    /// The API root the marketplace documents; the adapter appends the documented paths. A path alone (starting with
    /// <c>/</c>, e.g. <c>/sandbox/ebay</c>) means this node's own HTTP address: the embedded sandbox.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Access token, OAuth client and refresh token, seller and marketplace ids: never logged.</summary>
    public Dictionary<string, string> Credentials { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Amazon: the selling partner id the listings belong to (also accepted under <c>Credentials</c>).</summary>
    public string? SellerId { get; set; }

    /// <summary>Amazon: the marketplace the listings are sold on, e.g. <c>A1F83G8C2ARO7P</c> (also accepted under <c>Credentials</c>).</summary>
    public string? MarketplaceId { get; set; }

    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>Listings per call, at most the API's maximum.</summary>
    public int? BatchSize { get; set; }

    /// <summary>How long a ready update may wait for others to fill its batch.</summary>
    public int BatchLingerMs { get; set; } = 50;

    /// <summary>The channel's default <c>outOfStock</c> rule for new listings; must be one its marketplace supports.</summary>
    public string? OutOfStock { get; set; }

    /// <summary>How long a marketplace call may take before it is abandoned.</summary>
    public int CallTimeoutMs { get; set; } = 10_000;

    /// <summary>After a call is abandoned, how long its update may still land: until then it counts as in flight.</summary>
    public int LandingGraceMs { get; set; } = 20_000;

    /// <summary>The bulk path (Amazon's listings feed) for backlogs beyond a minute of calls.</summary>
    public BulkSettings Bulk { get; set; } = new();
}

public sealed class BulkSettings
{
    /// <summary>Listings one bulk call may carry; the marketplace's bulk maximum by default, 0 turns bulk calls off.</summary>
    public int? BatchSize { get; set; }

    /// <summary>How long a bulk call (a feed: upload, processing, report) may take before it is abandoned.</summary>
    public int CallTimeoutMs { get; set; } = 15 * 60_000;
}

public sealed class RateLimitSettings
{
    /// <summary>Calls per second the token bucket refills.</summary>
    public double? PerSecond { get; set; }

    /// <summary>The bucket's size: calls that may be made back to back.</summary>
    public int? Burst { get; set; }
}

public static class ChannelCatalog
{
    /// <summary>
    /// Resolves the configured channels with their marketplace's defaults, or throws with every configuration error
    /// found, each naming its key.
    /// </summary>
    public static IReadOnlyList<ChannelDefinition> Resolve(IReadOnlyDictionary<string, ChannelSettings> channels)
    {
        var errors = new List<string>();
        var resolved = new List<ChannelDefinition>();
        foreach (var (id, c) in channels.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var key = $"Channels:{id}";
            var before = errors.Count;
            if (ListingRules.CheckChannelId(id) is { } badId) errors.Add($"{key}: {badId}");
            if (!Marketplaces.TryParse(c.Marketplace, out var kind))
            {
                errors.Add($"{key}:Marketplace '{c.Marketplace}' is not one of " +
                           string.Join(", ", Marketplaces.All.Select(p => p.WireName)) + ".");
                continue;
            }
            var profile = Marketplaces.Profile(kind);
            Uri? baseUrl = null;
            // A path first: on Unix "/x" would also parse as an absolute file: URI.
            if (!string.IsNullOrWhiteSpace(c.BaseUrl) &&
                !(c.BaseUrl.StartsWith('/') && Uri.TryCreate(c.BaseUrl, UriKind.Relative, out baseUrl) ||
                  Uri.TryCreate(c.BaseUrl, UriKind.Absolute, out baseUrl) && baseUrl.Scheme is "http" or "https"))
                errors.Add($"{key}:BaseUrl '{c.BaseUrl}' is neither an http(s) URL nor a path on this node.");
            var batch = c.BatchSize ?? profile.DefaultBatchSize;
            if (batch < 1 || batch > profile.MaxBatchSize)
                errors.Add($"{key}:BatchSize {batch} is outside 1–{profile.MaxBatchSize}, the {profile.WireName} API's maximum.");
            var rate = c.RateLimit.PerSecond ?? profile.DefaultRatePerSecond;
            if (!(rate > 0)) errors.Add($"{key}:RateLimit:PerSecond must be above 0 (got {rate}).");
            var burst = c.RateLimit.Burst ?? profile.DefaultBurst;
            if (burst < 1) errors.Add($"{key}:RateLimit:Burst must be at least 1 (got {burst}).");
            var outOfStock = profile.DefaultOutOfStock;
            if (c.OutOfStock is not null)
            {
                if (!Marketplaces.TryParseOutOfStock(c.OutOfStock, out outOfStock))
                    errors.Add($"{key}:OutOfStock '{c.OutOfStock}' is not one of " +
                               string.Join(", ", Marketplaces.OutOfStockRules.Select(Marketplaces.WireName)) + ".");
                else if (!profile.Supports(outOfStock))
                    errors.Add($"{key}:OutOfStock '{c.OutOfStock}' is not supported by {profile.WireName}: use " +
                               string.Join(" or ", profile.SupportedOutOfStock.Select(Marketplaces.WireName)) + ".");
            }
            if (c.BatchLingerMs < 0) errors.Add($"{key}:BatchLingerMs must not be negative.");
            if (c.CallTimeoutMs < 1) errors.Add($"{key}:CallTimeoutMs must be at least 1.");
            if (c.LandingGraceMs < 0) errors.Add($"{key}:LandingGraceMs must not be negative.");
            var bulk = c.Bulk.BatchSize ?? profile.BulkBatchSize;
            if (bulk < 0 || bulk > profile.MaxBatchSize || bulk > 0 && profile.BulkBatchSize == 0)
                errors.Add($"{key}:Bulk:BatchSize {bulk} is not possible: {profile.WireName} " +
                           (profile.BulkBatchSize == 0 ? "has no bulk path." : $"takes 0–{profile.MaxBatchSize}."));
            if (c.Bulk.CallTimeoutMs < 1) errors.Add($"{key}:Bulk:CallTimeoutMs must be at least 1.");
            if (errors.Count > before) continue;

            // Account identifiers travel with the credentials: the adapter that needs them finds them there.
            var credentials = new Dictionary<string, string>(c.Credentials, StringComparer.OrdinalIgnoreCase);
            if (!string.IsNullOrWhiteSpace(c.SellerId)) credentials["SellerId"] = c.SellerId;
            if (!string.IsNullOrWhiteSpace(c.MarketplaceId)) credentials["MarketplaceId"] = c.MarketplaceId;
            resolved.Add(new ChannelDefinition(id, kind, baseUrl, credentials, rate, burst, batch,
                TimeSpan.FromMilliseconds(c.BatchLingerMs), outOfStock, TimeSpan.FromMilliseconds(c.CallTimeoutMs),
                TimeSpan.FromMilliseconds(c.LandingGraceMs), bulk, TimeSpan.FromMilliseconds(c.Bulk.CallTimeoutMs)));
        }
        if (errors.Count > 0)
            throw new InvalidOperationException("Channel configuration is invalid:" + Environment.NewLine +
                                                string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        return resolved;
    }
}
