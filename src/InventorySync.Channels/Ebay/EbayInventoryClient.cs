using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Ebay;

/// <summary>
/// eBay's Sell Inventory API (<c>ebay</c>); a listing's mapping key is its offer id. In a batch, in this order:
/// <list type="bullet">
/// <item>status ended (rule <c>end</c>): <c>POST …/offer/{offerId}/withdraw</c>, one call per offer;</item>
/// <item>any other status: <c>POST …/bulk_update_price_quantity</c>, at most the channel's batch size (25 at most)
/// entries per call, one request per SKU with its offers' availableQuantity and a ship-to-home quantity that is the
/// largest of them (eBay lists the smaller of the two); variations and rule <c>zero</c> thus go to 0 and stay;</item>
/// <item>a positive quantity for an offer whose listing may not be live (last known ended, or its revision came back
/// with warnings, as it does for an offer that is not published, or as not available, 25713):
/// <c>POST …/offer/{offerId}/publish/</c>. Publishing relists an ended offer under a new listing id, returned as the
/// current listing id (a live offer keeps its own). An offer whose quantity the revision could not set is revised
/// again once published, so the relisted listing shows the update's quantity.</item>
/// </list>
/// Each call's answer is classified per offer (see <see cref="InventoryAnswers"/>). After a 429 no further call is
/// made in the batch. Network failures settle the call's offers as transient; cancellation propagates. No retries.
/// </summary>
public sealed class EbayInventoryClient : IMarketplaceClient
{
    public const int MaxEntriesPerCall = 25;
    public const int MaxSkuLength = 50;

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly EbayCredentials _credentials;
    private readonly Uri _api;
    private readonly int _entriesPerCall;

    /// <exception cref="InvalidOperationException">The channel's base URL or credentials are unusable.</exception>
    public EbayInventoryClient(ChannelDefinition channel, HttpClient http, TimeProvider clock)
    {
        _api = new Uri(EbayHttp.Root(channel), "sell/inventory/v1/");
        _credentials = new EbayCredentials(channel, http, clock);
        _http = http;
        _clock = clock;
        _entriesPerCall = Math.Clamp(channel.BatchSize, 1, MaxEntriesPerCall);
    }

    public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
        IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
    {
        var round = new EbayRound(batch);
        foreach (var update in batch)
        {
            if (Unsendable(update) is { } reason) round.Settle(update, new Verdict(UpdateResult.Rejected, reason));
        }
        foreach (var update in batch.Where(u => !round.IsSettled(u) && u.Status == ListingStatus.Ended).ToList())
            await WithdrawAsync(round, update, cancellationToken);

        var revisions = batch.Where(u => !round.IsSettled(u)).ToList();
        var shipTo = revisions.GroupBy(u => u.Sku, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (int)g.Max(u => u.Quantity), StringComparer.Ordinal);
        var toPublish = new List<Publication>();
        foreach (var chunk in revisions.Chunk(_entriesPerCall))
            toPublish.AddRange(await BulkUpdateAsync(round, chunk, shipTo, null, cancellationToken));

        var published = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var publication in toPublish)
        {
            if (await PublishAsync(round, publication.Update, cancellationToken) is not { } listing) continue;
            if (publication.QuantitySet) round.Settle(publication.Update, Verdict.Applied, listing.ListingId);
            else published.Add(publication.Update.ListingId, listing.ListingId);
        }
        var unset = toPublish.Where(p => published.ContainsKey(p.Update.ListingId)).Select(p => p.Update).ToList();
        foreach (var chunk in unset.Chunk(_entriesPerCall))
            await BulkUpdateAsync(round, chunk, shipTo, published, cancellationToken);
        return round.Outcomes();
    }

    private static string? Unsendable(MarketplaceUpdate update) =>
        update.Quantity is < 0 or > int.MaxValue
            ? $"eBay takes quantities from 0 to {int.MaxValue}, not {update.Quantity}."
            : update.Status != ListingStatus.Ended && update.Sku.Length is 0 or > MaxSkuLength
                ? $"An eBay inventory item's SKU has 1 to {MaxSkuLength} characters; this listing's SKU has {update.Sku.Length}."
                : null;

    private async Task WithdrawAsync(EbayRound round, MarketplaceUpdate update, CancellationToken cancellationToken)
    {
        if (await CallAsync(round, [update], $"offer/{Uri.EscapeDataString(update.ListingId)}/withdraw", null,
                cancellationToken) is not { } answer)
            return;
        round.Settle(update, answer.IsSuccess
            ? Verdict.Applied
            : InventoryAnswers.Failure(answer, goneIfNotAvailable: true, _credentials));
    }

    /// <summary>
    /// Revises a chunk of offers and answers those to publish next. <paramref name="published"/> is null on the first
    /// pass; on the second it holds the listing ids of offers just published whose quantity the first pass could not
    /// set, and every entry is settled.
    /// </summary>
    private async Task<IReadOnlyList<Publication>> BulkUpdateAsync(
        EbayRound round, MarketplaceUpdate[] chunk, IReadOnlyDictionary<string, int> shipTo,
        IReadOnlyDictionary<string, string?>? published, CancellationToken cancellationToken)
    {
        var body = new BulkPriceQuantity(chunk
            .GroupBy(u => u.Sku, StringComparer.Ordinal)
            .Select(sku => new PriceQuantity(sku.Key, new ShipToLocationAvailability(shipTo[sku.Key]),
                sku.Select(u => new OfferPriceQuantity(u.ListingId, (int)u.Quantity)).ToList()))
            .ToList());
        var json = JsonSerializer.SerializeToUtf8Bytes(body, InventoryAnswers.Json);
        if (await CallAsync(round, chunk, "bulk_update_price_quantity", json, cancellationToken) is not { } answer) return [];
        if (!answer.IsSuccess)
        {
            var failure = InventoryAnswers.Failure(answer, goneIfNotAvailable: false, _credentials);
            foreach (var update in chunk) round.Settle(update, failure);
            return [];
        }

        var entries = InventoryAnswers.Read<BulkPriceQuantityResponse>(answer.Body)?.Responses;
        var byOffer = (entries ?? []).Where(e => e.OfferId is not null)
            .GroupBy(e => e.OfferId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var toPublish = new List<Publication>();
        foreach (var update in chunk)
        {
            if (!byOffer.TryGetValue(update.ListingId, out var entry))
            {
                round.Settle(update, Verdict.Transient(entries is null
                    ? _credentials.Excerpt($"eBay's answer to the bulk update could not be read: {answer.Body}")
                    : "eBay's answer to the bulk update left this offer out."));
                continue;
            }
            var verdict = InventoryAnswers.Entry(entry, _credentials);
            if (published is null && NeedsPublishing(update, entry, verdict))
                toPublish.Add(new Publication(update, verdict.Result == UpdateResult.Applied));
            else
                round.Settle(update, verdict, published?.GetValueOrDefault(update.ListingId));
        }
        return toPublish;
    }

    /// <summary>
    /// A positive quantity needs the offer published when its listing may not be live: it was last known ended, its
    /// revision came back with warnings (as for an offer that is not published), or eBay answered that the offer is
    /// not available (then its quantity is set again once it is published).
    /// </summary>
    private static bool NeedsPublishing(MarketplaceUpdate update, PriceQuantityResponse entry, Verdict verdict) =>
        update.Quantity > 0 && verdict.Result switch
        {
            UpdateResult.Applied => update.KnownStatus == ListingStatus.Ended || entry.Warnings is { Count: > 0 },
            UpdateResult.Gone => true,
            _ => false,
        };

    /// <summary>Publishes the offer: the listing it is live under, or null when it was not (the update is settled).</summary>
    private async Task<PublishResponse?> PublishAsync(EbayRound round, MarketplaceUpdate update, CancellationToken cancellationToken)
    {
        if (await CallAsync(round, [update], $"offer/{Uri.EscapeDataString(update.ListingId)}/publish/", null,
                cancellationToken) is not { } answer)
            return null;
        if (!answer.IsSuccess)
        {
            round.Settle(update, InventoryAnswers.Failure(answer, goneIfNotAvailable: false, _credentials));
            return null;
        }
        var listingId = InventoryAnswers.Read<PublishResponse>(answer.Body)?.ListingId;
        return new PublishResponse(string.IsNullOrEmpty(listingId) ? null : listingId);
    }

    /// <summary>
    /// One POST with a JSON body (empty for withdraw and publish), or null when no answer is to be read: the round
    /// was throttled, or the call failed on the network (its updates are then settled).
    /// </summary>
    private async Task<RestAnswer?> CallAsync(
        EbayRound round, IReadOnlyCollection<MarketplaceUpdate> updates, string path, byte[]? json,
        CancellationToken cancellationToken)
    {
        if (round.SkipIfThrottled(updates)) return null;
        try
        {
            var token = await _credentials.GetAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_api, path));
            request.Content = new ByteArrayContent(json ?? [])
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized) _credentials.Invalidate();
            return new RestAnswer((int)response.StatusCode, await EbayHttp.ReadAsync(response.Content, cancellationToken),
                HttpText.RetryAfter(response.Headers.RetryAfter, _clock));
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            var failure = Verdict.Transient(_credentials.Excerpt($"The call to eBay failed: {e.Message}"));
            foreach (var update in updates) round.Settle(update, failure);
            return null;
        }
    }

    /// <summary>An offer to publish; <see cref="QuantitySet"/> when the bulk update set its quantity already.</summary>
    private sealed record Publication(MarketplaceUpdate Update, bool QuantitySet);
}
