using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Ebay;

/// <summary>
/// eBay's Trading API (<c>ebay-trading</c>, XML at <c>{BaseUrl}/ws/api.dll</c>) for listings the Inventory API does
/// not manage; a listing's mapping key is its first ItemID, the current ItemID is the one addressed. In a batch, in
/// this order:
/// <list type="bullet">
/// <item>status ended (rule <c>end</c>): <c>EndItems</c>, 10 items a call, ending reason <c>NotAvailable</c>;</item>
/// <item>any other status: <c>ReviseInventoryStatus</c>, 4 items a call (the channel's batch size, if smaller). An
/// item refused quantity 0 because it has no out-of-stock control (21916583) would go on selling what it shows: it is
/// ended at once with <c>EndItems</c> and answered gone, which the gateway records as ended at 0 (the way
/// MARKETPLACES.md says such a listing goes out of stock), so that stock coming back relists it;</item>
/// <item>a positive quantity for an item last known ended: <c>RelistFixedPriceItem</c>, one a call, with an
/// <c>Item.UUID</c> derived from the listing and the ended item (<see cref="TradingRequests.Uuid"/>). A retry after a
/// lost answer is refused as a duplicate (488) naming the item the first call created: that item is brought to the
/// update's quantity and answered as applied under its ItemID, so a listing is never relisted twice from one item.</item>
/// </list>
/// Errors are classified per item (<see cref="TradingVerdicts"/>). After a throttled call no further call is made in
/// the batch. Network failures settle the call's items as transient; cancellation propagates. No retries.
/// </summary>
public sealed class EbayTradingClient : IMarketplaceClient
{
    public const int MaxRevisionsPerCall = 4;
    public const int MaxEndsPerCall = 10;
    public const string CompatibilityLevel = "1455";

    /// <summary><c>Channels:&lt;id&gt;:Credentials:SiteId</c>, the eBay site the calls are made for (0, the US, when unset).</summary>
    public const string SiteIdKey = "SiteId";

    /// <summary>How many relisted-then-ended items a relist follows before it gives up for this batch.</summary>
    private const int MaxRelistHops = 10;

    private static readonly XNamespace Ns = TradingRequests.Ns;

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly EbayCredentials _credentials;
    private readonly Uri _endpoint;
    private readonly string _siteId;
    private readonly int _revisionsPerCall;

    /// <exception cref="InvalidOperationException">The channel's base URL, site id or credentials are unusable.</exception>
    public EbayTradingClient(ChannelDefinition channel, HttpClient http, TimeProvider clock)
    {
        _endpoint = new Uri(EbayHttp.Root(channel), "ws/api.dll");
        _siteId = channel.Credentials.GetValueOrDefault(SiteIdKey) is { } siteId && !string.IsNullOrWhiteSpace(siteId)
            ? siteId.Trim()
            : "0";
        if (!int.TryParse(_siteId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw new InvalidOperationException(
                $"Channel '{channel.Id}': Channels:{channel.Id}:Credentials:{SiteIdKey} must be an eBay site id (a number).");
        _credentials = new EbayCredentials(channel, http, clock);
        _http = http;
        _clock = clock;
        _revisionsPerCall = Math.Clamp(channel.BatchSize, 1, MaxRevisionsPerCall);
    }

    public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
        IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
    {
        var round = new EbayRound(batch);
        foreach (var update in batch.Where(u => u.Quantity is < 0 or > int.MaxValue))
        {
            round.Settle(update, new Verdict(UpdateResult.Rejected,
                $"eBay takes quantities from 0 to {int.MaxValue}, not {update.Quantity}."));
        }
        var ends = batch.Where(u => !round.IsSettled(u) && u.Status == ListingStatus.Ended).ToList();
        foreach (var chunk in ends.Chunk(MaxEndsPerCall)) await EndAsync(round, chunk, cancellationToken);

        var relists = batch.Where(u => !round.IsSettled(u) && u is { Quantity: > 0, KnownStatus: ListingStatus.Ended }).ToList();
        var revisions = batch.Where(u => !round.IsSettled(u) && !relists.Contains(u)).ToList();
        foreach (var chunk in revisions.Chunk(_revisionsPerCall)) await ReviseAsync(round, chunk, cancellationToken);
        foreach (var update in relists) await RelistAsync(round, update, cancellationToken);
        return round.Outcomes();
    }

    private async Task EndAsync(EbayRound round, MarketplaceUpdate[] chunk, CancellationToken cancellationToken)
    {
        if (round.SkipIfThrottled(chunk)) return;
        var verdicts = await EndItemsAsync(chunk.Select(u => u.CurrentListingId).ToList(), cancellationToken);
        for (var i = 0; i < chunk.Length; i++) round.Settle(chunk[i], verdicts[i]);
    }

    private async Task ReviseAsync(EbayRound round, MarketplaceUpdate[] chunk, CancellationToken cancellationToken)
    {
        if (round.SkipIfThrottled(chunk)) return;
        var results = await ReviseInventoryStatusAsync(chunk.Select(u => (u.CurrentListingId, u.Quantity)).ToList(),
            cancellationToken);
        var refusedZero = new List<MarketplaceUpdate>();
        for (var i = 0; i < chunk.Length; i++)
        {
            if (results[i].RefusedZero) refusedZero.Add(chunk[i]);
            else round.Settle(chunk[i], results[i].Verdict);
        }
        if (refusedZero.Count == 0 || round.SkipIfThrottled(refusedZero)) return;

        var ended = await EndItemsAsync(refusedZero.Select(u => u.CurrentListingId).ToList(), cancellationToken);
        for (var i = 0; i < refusedZero.Count; i++)
        {
            round.Settle(refusedZero[i], ended[i].Result == UpdateResult.Applied
                ? new Verdict(UpdateResult.Gone, "eBay refused quantity 0 (the listing has no out-of-stock control): it was ended.")
                : ended[i]);
        }
    }

    private async Task RelistAsync(EbayRound round, MarketplaceUpdate update, CancellationToken cancellationToken)
    {
        if (round.SkipIfThrottled([update])) return;
        var ended = update.CurrentListingId;
        for (var hop = 0; hop < MaxRelistHops; hop++)
        {
            var request = TradingRequests.Relist(ended, update.Quantity, TradingRequests.Uuid(update.ListingId, ended));
            var (answer, failure) = await CallAsync(TradingRequests.RelistFixedPriceItem, request, cancellationToken);
            if (answer is null)
            {
                round.Settle(update, failure);
                return;
            }
            if (TradingAnswer.Text(answer.Root, "ItemID") is { } relisted)
            {
                round.Settle(update, Verdict.Applied, relisted);
                return;
            }
            if (answer.DuplicateOf() is not { } created)
            {
                var verdict = TradingVerdicts.Of(answer.Errors, _credentials);
                round.Settle(update, verdict.Result == UpdateResult.Applied
                    ? Verdict.Transient("eBay's answer to the relist named no new item.")
                    : verdict);
                return;
            }
            // An earlier call made this relist and its answer was lost: bring that item to this update's quantity.
            var (revised, _) = (await ReviseInventoryStatusAsync([(created, update.Quantity)], cancellationToken))[0];
            if (revised.Result != UpdateResult.Gone)
            {
                round.Settle(update, revised, created);
                return;
            }
            ended = created;
        }
        round.Settle(update, Verdict.Transient(
            $"eBay answered {MaxRelistHops} relists of this listing as made before, each ended since."));
    }

    /// <summary>One verdict per item, in order; <c>RefusedZero</c> when eBay refused quantity 0 (21916583).</summary>
    private async Task<IReadOnlyList<(Verdict Verdict, bool RefusedZero)>> ReviseInventoryStatusAsync(
        IReadOnlyList<(string ItemId, long Quantity)> items, CancellationToken cancellationToken)
    {
        var (answer, failure) = await CallAsync(TradingRequests.ReviseInventoryStatus, TradingRequests.Revise(items),
            cancellationToken);
        if (answer is null) return items.Select(_ => (failure, false)).ToList();

        var revised = answer.Root.Elements(Ns + "InventoryStatus")
            .Select(status => TradingAnswer.Text(status, "ItemID")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var general = answer.General(items.Select(i => i.ItemId));
        return items.Select(item =>
        {
            var own = answer.About(item.ItemId);
            if (own.Any(e => e.Code == TradingVerdicts.ZeroWithoutOutOfStockControl))
                return (TradingVerdicts.Of(own, _credentials), true);
            var verdict = own.Any(TradingVerdicts.IsFailure) ? TradingVerdicts.Of(own, _credentials)
                : revised.Contains(item.ItemId) ? Verdict.Applied
                : general.Any(TradingVerdicts.IsFailure) ? TradingVerdicts.Of(general, _credentials)
                : Verdict.Transient($"eBay's answer left item {item.ItemId} out.");
            return (verdict, false);
        }).ToList();
    }

    /// <summary>One verdict per item, in order; an item that had ended already (1047) is gone.</summary>
    private async Task<IReadOnlyList<Verdict>> EndItemsAsync(IReadOnlyList<string> itemIds, CancellationToken cancellationToken)
    {
        var (answer, failure) = await CallAsync(TradingRequests.EndItems, TradingRequests.End(itemIds), cancellationToken);
        if (answer is null) return itemIds.Select(_ => failure).ToList();

        var containers = answer.Root.Elements(Ns + "EndItemResponseContainer")
            .Select(c => (Id: TradingAnswer.Text(c, "CorrelationID"), Errors: TradingAnswer.ErrorsOf(c)))
            .Where(c => c.Id is not null)
            .GroupBy(c => c.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Errors, StringComparer.Ordinal);
        return itemIds.Select(itemId => containers.TryGetValue(itemId, out var errors) ? TradingVerdicts.Of(errors, _credentials)
                : answer.Errors.Any(TradingVerdicts.IsFailure) ? TradingVerdicts.Of(answer.Errors, _credentials)
                : Verdict.Transient($"eBay's answer left item {itemId} out."))
            .ToList();
    }

    /// <summary>
    /// One Trading API call: its answer, or null and the verdict for every item of the call when there is none to
    /// read (an HTTP status outside 2xx, a network failure, an answer that is not XML).
    /// </summary>
    private async Task<(TradingAnswer? Answer, Verdict Failure)> CallAsync(
        string callName, XDocument body, CancellationToken cancellationToken)
    {
        try
        {
            var token = await _credentials.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.Declaration + body.ToString(SaveOptions.DisableFormatting)))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" } },
            };
            request.Headers.Add("X-EBAY-API-CALL-NAME", callName);
            request.Headers.Add("X-EBAY-API-SITEID", _siteId);
            request.Headers.Add("X-EBAY-API-COMPATIBILITY-LEVEL", CompatibilityLevel);
            request.Headers.TryAddWithoutValidation("X-EBAY-API-IAF-TOKEN", token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var text = await EbayHttp.ReadAsync(response.Content, cancellationToken);
            var answer = TradingAnswer.Parse(text);
            var status = (int)response.StatusCode;
            if (status == 401 || (answer?.Errors.Any(TradingVerdicts.RefusesTheToken) ?? false)) _credentials.Invalidate();
            if (status is >= 200 and <= 299 && answer is not null) return (answer, default);

            var detail = answer?.Errors is { Count: > 0 } errors
                ? TradingVerdicts.Describe(errors, _credentials)
                : _credentials.Excerpt(text);
            var message = HttpText.Cut($"eBay {callName}: HTTP {status}" + (detail.Length > 0 ? $": {detail}" : ""));
            return (null, status is >= 200 and <= 299
                ? Verdict.Transient($"eBay's answer to {callName} is not XML: {detail}")
                : EbayHttp.ForStatus(status, HttpText.RetryAfter(response.Headers.RetryAfter, _clock), message));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, Verdict.Transient(_credentials.Excerpt($"The {callName} call to eBay failed: {e.Message}")));
        }
    }
}
