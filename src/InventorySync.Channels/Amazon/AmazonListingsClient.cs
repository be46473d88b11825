using InventorySync.Channels.Auth;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Amazon;

/// <summary>
/// Amazon Selling Partner API (<c>amazon</c>): sets each SKU's merchant-fulfilled quantity (listing id = seller SKU).
/// <list type="bullet">
/// <item>One SKU per call: <c>PATCH {BaseUrl}/listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds={marketplaceId}</c>
/// merging <c>[{fulfillment_channel_code: DEFAULT, quantity}]</c> into <c>/attributes/fulfillment_availability</c>
/// (a merge keeps the handling time and restock date). Quantity 0 makes the offer inactive, more than 0 active again,
/// so an update must be inactive at 0 and active above it; any other status is rejected without a call.</item>
/// <item>200 ACCEPTED is applied, INVALID rejected with the issues' messages; 429 (QuotaExceeded, no Retry-After)
/// throttled without a retry time, so the gateway backs off with jitter; 401/403 invalidate the access token and fail
/// transiently; 404 is gone; 408 and 5xx fail transiently; other answers are rejected with Amazon's message. After a 429
/// or a refused token the rest of the batch is not sent and shares that outcome. The PATCHes of a batch go one after
/// the other, each spending a token of <see cref="PatchBudget"/>.</item>
/// <item>A batch of more than <see cref="AmazonListingsOptions.FeedThreshold"/> updates goes as one JSON_LISTINGS_FEED
/// (see <see cref="ListingsFeed"/>) instead.</item>
/// </list>
/// ACCEPTED (and a feed message without errors) means Amazon accepted the submission for processing, not that the
/// offer shows it yet: issues found later surface in Amazon's listing issues, not in this outcome.
/// Credentials: the seller and marketplace ids (<c>SellerId</c>, <c>MarketplaceId</c>), and a static access token or
/// the LWA refresh flow (see <see cref="AccessTokens"/>). Network failures and cancellation propagate as exceptions;
/// the gateway does all retries.
/// </summary>
public sealed class AmazonListingsClient : IMarketplaceClient
{
    public const string SellerIdKey = "SellerId";
    public const string MarketplaceIdKey = "MarketplaceId";
    /// <summary>The generic product type Amazon takes for offer-only changes such as availability.</summary>
    public const string ProductType = "PRODUCT";
    /// <summary>Issues come back in English whatever the marketplace's language, for one set of operators.</summary>
    public const string IssueLocale = "en_US";

    private readonly SellingPartnerApi _api;
    private readonly ListingsFeed _feed;
    private readonly PatchBudget _budget;
    private readonly string _sellerId;
    private readonly string _marketplaceId;
    private readonly int _feedThreshold;

    public AmazonListingsClient(ChannelDefinition channel, HttpClient http, TimeProvider clock)
        : this(channel, http, clock, AmazonListingsOptions.For(channel))
    {
    }

    /// <exception cref="InvalidOperationException">
    /// The channel's configuration lacks what the adapter needs; the message names the key.
    /// </exception>
    public AmazonListingsClient(ChannelDefinition channel, HttpClient http, TimeProvider clock, AmazonListingsOptions options)
    {
        var key = $"Channels:{channel.Id}";
        if (channel.BaseUrl is not { IsAbsoluteUri: true } baseUrl || baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0 ||
            (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException(
                $"Channel '{channel.Id}': {key}:BaseUrl must be the API root, an absolute http or https URL such as " +
                "https://sellingpartnerapi-eu.amazon.com.");
        _sellerId = Credential(channel, SellerIdKey);
        _marketplaceId = Credential(channel, MarketplaceIdKey);
        AccessTokens.Configured(channel); // refuses a static token no header can carry, without quoting it
        if (!(channel.RatePerSecond > 0) || channel.Burst < 1)
            throw new InvalidOperationException(
                $"Channel '{channel.Id}': {key}:RateLimit:PerSecond must be above 0 and {key}:RateLimit:Burst at least 1.");
        if (channel.BatchSize > ListingsFeed.MaxMessages)
            throw new InvalidOperationException(
                $"Channel '{channel.Id}': {key}:BatchSize {channel.BatchSize} is more than the {ListingsFeed.MaxMessages:N0} " +
                "messages a JSON_LISTINGS_FEED may carry.");
        if (options.FeedThreshold < 0 || options.FeedPollInterval <= TimeSpan.Zero)
            throw new ArgumentException("The feed threshold cannot be negative and the poll interval must be positive.", nameof(options));

        var apiRoot = new Uri(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/");
        _api = new SellingPartnerApi(channel.Id, apiRoot, http, AccessTokens.For(channel, http, clock, ClientAuthentication.FormBody));
        _feed = new ListingsFeed(_api, http, clock, _sellerId, _marketplaceId, options.FeedPollInterval, new UnfinishedFeeds());
        _budget = new PatchBudget(channel.RatePerSecond, channel.Burst, clock);
        _feedThreshold = options.FeedThreshold;
    }

    public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
        IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
    {
        var refused = batch.Where(u => u.Status != ShownStatus(u.Quantity))
            .Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Rejected, Message:
                $"Amazon shows quantity 0 as inactive and a positive quantity as active: it cannot show " +
                $"{Marketplaces.WireName(u.Status)} with quantity {u.Quantity}."))
            .ToList();
        var updates = batch.Where(u => u.Status == ShownStatus(u.Quantity)).ToList();
        if (updates.Count == 0) return refused;

        // One write path per SKU at a time, so that Amazon applies a SKU's updates in the order they were sent: the gateway
        // keeps at most one update in flight per listing, and this client sends a batch either entirely by PATCH or
        // entirely as one feed. A feed outlives the call that gave up waiting for it, so a SKU of a feed that may still
        // be applied goes by feed again (Amazon processes feeds in order) until that feed is seen finished.
        var sent = updates.Count > _feedThreshold || await _feed.HoldsAnyAsync(updates, cancellationToken)
            ? await _feed.SendAsync(updates, cancellationToken)
            : await PatchEachAsync(updates, cancellationToken);
        return [.. refused, .. sent];
    }

    /// <summary>The value of <c>/attributes/fulfillment_availability</c> for the seller's own stock.</summary>
    internal static IReadOnlyList<PatchOperation> QuantityPatches(long quantity) =>
        [new("merge", "/attributes/fulfillment_availability", [new FulfillmentAvailability("DEFAULT", quantity)])];

    private static ListingStatus ShownStatus(long quantity) => quantity > 0 ? ListingStatus.Active : ListingStatus.Inactive;

    private async Task<List<UpdateOutcome>> PatchEachAsync(IReadOnlyList<MarketplaceUpdate> updates, CancellationToken cancellationToken)
    {
        var outcomes = new List<UpdateOutcome>(updates.Count);
        foreach (var update in updates)
        {
            if (!_budget.TryTake(out var wait))
            {
                outcomes.AddRange(updates.Skip(outcomes.Count).Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Throttled, wait,
                    Message: "Not sent: the channel's rate of patchListingsItem calls is spent.")));
                break;
            }
            var (outcome, stop) = await PatchAsync(update, cancellationToken);
            outcomes.Add(outcome);
            if (stop)
            {
                outcomes.AddRange(updates.Skip(outcomes.Count).Select(u => outcome with
                {
                    ListingId = u.ListingId,
                    Message = $"Not sent: the call for the SKU before it was answered {outcome.Message}",
                }));
                break;
            }
        }
        return outcomes;
    }

    /// <summary>One SKU's PATCH; <c>Stop</c> when the rest of the batch should not be sent (throttled, refused token).</summary>
    private async Task<(UpdateOutcome Outcome, bool Stop)> PatchAsync(MarketplaceUpdate update, CancellationToken cancellationToken)
    {
        var uri = $"listings/2021-08-01/items/{Uri.EscapeDataString(_sellerId)}/{Uri.EscapeDataString(update.ListingId)}" +
                  $"?marketplaceIds={Uri.EscapeDataString(_marketplaceId)}&issueLocale={IssueLocale}";
        using var answer = await _api.SendAsync(HttpMethod.Patch, uri,
            new ListingsItemPatchRequest(ProductType, QuantityPatches(update.Quantity)), cancellationToken);
        if (answer.IsSuccess)
        {
            var submission = await answer.ReadJsonAsync<ListingsItemSubmissionResponse>(cancellationToken);
            return (submission?.Status switch
            {
                "ACCEPTED" => new UpdateOutcome(update.ListingId, UpdateResult.Applied),
                "INVALID" => new UpdateOutcome(update.ListingId, UpdateResult.Rejected, Message: answer.Excerpt(
                    "Amazon found the submission INVALID: " + AmazonText.Issues((submission.Issues ?? [])
                        .OrderBy(i => string.Equals(i.Severity, "ERROR", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                        .Select(i => (i.Message, i.Code))))),
                // Anything else leaves it unknown whether Amazon took the update.
                _ => new UpdateOutcome(update.ListingId, UpdateResult.TransientFailure, Message:
                    $"HTTP {answer.Status} without a submission status of ACCEPTED or INVALID."),
            }, false);
        }

        var message = await answer.DescribeFailureAsync(cancellationToken);
        return answer.Status switch
        {
            429 => (new UpdateOutcome(update.ListingId, UpdateResult.Throttled, Message: message), true),
            401 or 403 => (new UpdateOutcome(update.ListingId, UpdateResult.TransientFailure, Message: message), true),
            404 => (new UpdateOutcome(update.ListingId, UpdateResult.Gone, Message: message), false),
            408 or >= 500 => (new UpdateOutcome(update.ListingId, UpdateResult.TransientFailure, Message: message), false),
            _ => (new UpdateOutcome(update.ListingId, UpdateResult.Rejected, Message: message), false),
        };
    }

    private static string Credential(ChannelDefinition channel, string name) =>
        channel.Credentials.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidOperationException(
                $"Channel '{channel.Id}': an Amazon channel needs Channels:{channel.Id}:{name} " +
                $"(or Channels:{channel.Id}:Credentials:{name}).");
}
