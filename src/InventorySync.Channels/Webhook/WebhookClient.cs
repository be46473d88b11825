using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InventorySync.Channels.Auth;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Webhook;

/// <summary>
/// Our own webhook contract, for bespoke web shops: the batch is one <c>POST {BaseUrl}</c> of
/// <c>{"channel","updates":[{"listingId","currentListingId","sku","quantity","status","version"}]}</c> with a bearer
/// token when <c>Credentials:AccessToken</c> is set and an <c>Idempotency-Key</c> that is the same for a retried batch.
/// A 2xx applies every update unless the body holds <c>{"results":[{"listingId","result","message"?,"currentListingId"?}]}</c>;
/// 429 is throttled, 408 and 5xx transient, 404 and 410 gone, anything else (other 4xx, redirects) rejected.
/// Network failures and cancellation propagate as exceptions; the gateway does all retries.
/// </summary>
internal sealed class WebhookClient : IMarketplaceClient
{
    /// <summary>How much of a failure body is read for its message: enough for any receiver's error text.</summary>
    private const int MaxBodyChars = 4096;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly string _channel;
    private readonly Uri _endpoint;
    private readonly string? _accessToken;

    public WebhookClient(ChannelDefinition channel, HttpClient http, TimeProvider clock)
    {
        var key = $"Channels:{channel.Id}";
        if (channel.BaseUrl is null)
            throw new InvalidOperationException($"Channel '{channel.Id}': {key}:BaseUrl is required for a webhook channel.");
        if (!channel.BaseUrl.IsAbsoluteUri || (channel.BaseUrl.Scheme != Uri.UriSchemeHttp && channel.BaseUrl.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"Channel '{channel.Id}': {key}:BaseUrl must be an absolute http or https URL.");
        _accessToken = AccessTokens.Configured(channel);
        _http = http;
        _clock = clock;
        _channel = channel.Id;
        _endpoint = channel.BaseUrl;
    }

    public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
        IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return [];

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(RequestBody(batch), Json))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("Idempotency-Key", IdempotencyKey(batch));
        if (_accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return await ClassifyAnswerAsync(batch, response.Content, cancellationToken);

        var status = (int)response.StatusCode;
        var result = status switch
        {
            429 => UpdateResult.Throttled,
            408 or >= 500 => UpdateResult.TransientFailure,
            404 or 410 => UpdateResult.Gone,
            _ => UpdateResult.Rejected,
        };
        var retryAfter = result == UpdateResult.Throttled ? HttpText.RetryAfter(response.Headers.RetryAfter, _clock) : null;
        var body = Excerpt(await HttpText.ReadStartAsync(response.Content, MaxBodyChars, cancellationToken));
        var message = body is null ? $"HTTP {status}" : $"HTTP {status}: {body}";
        return batch.Select(u => new UpdateOutcome(u.ListingId, result, retryAfter, Message: message)).ToList();
    }

    private WebhookBatch RequestBody(IReadOnlyList<MarketplaceUpdate> batch) =>
        new(_channel, batch.Select(u => new WebhookUpdate(
            u.ListingId, u.CurrentListingId, u.Sku, u.Quantity, Marketplaces.WireName(u.Status), u.Version)).ToList());

    /// <summary>
    /// Hex SHA-256 of the channel and each <c>listingId@version</c>, in ordinal order so a retry that regroups the same
    /// versions keeps its key: a version fixes the listing's desired state, so equal keys mean equal content.
    /// </summary>
    private string IdempotencyKey(IReadOnlyList<MarketplaceUpdate> batch)
    {
        var text = new StringBuilder(_channel).Append('\n');
        foreach (var entry in batch.Select(u => u.ListingId + "@" + u.Version.ToString(CultureInfo.InvariantCulture))
                     .Order(StringComparer.Ordinal))
            text.Append(entry).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task<IReadOnlyList<UpdateOutcome>> ClassifyAnswerAsync(
        IReadOnlyList<MarketplaceUpdate> batch, HttpContent content, CancellationToken cancellationToken)
    {
        var results = await ReadResultsAsync(content, cancellationToken);
        if (results is null) return batch.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Applied)).ToList();

        var byListing = results.Where(r => r.ListingId is not null).DistinctBy(r => r.ListingId)
            .ToDictionary(r => r.ListingId!, StringComparer.Ordinal);
        return batch.Select(u => byListing.TryGetValue(u.ListingId, out var r)
                ? Outcome(u.ListingId, r)
                : new UpdateOutcome(u.ListingId, UpdateResult.TransientFailure,
                    Message: "The receiver's results left this listing out."))
            .ToList();
    }

    /// <summary>The per-listing results, or null when the body is not a results object (then the 2xx alone counts).</summary>
    private static async Task<IReadOnlyList<WebhookResult>?> ReadResultsAsync(
        HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength == 0) return null;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var answer = await JsonSerializer.DeserializeAsync<WebhookAnswer>(stream, Json, cancellationToken);
            return answer?.Results;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private UpdateOutcome Outcome(string listingId, WebhookResult answer)
    {
        UpdateResult? result = answer.Result?.ToLowerInvariant() switch
        {
            "applied" => UpdateResult.Applied,
            "gone" => UpdateResult.Gone,
            "rejected" => UpdateResult.Rejected,
            "failed" => UpdateResult.TransientFailure,
            _ => null,
        };
        return result is { } known
            ? new UpdateOutcome(listingId, known, CurrentListingId: string.IsNullOrEmpty(answer.CurrentListingId)
                ? null : answer.CurrentListingId, Message: Excerpt(answer.Message))
            : new UpdateOutcome(listingId, UpdateResult.Rejected, Message: Excerpt(
                $"The receiver answered result '{answer.Result}', which is not one of applied, gone, rejected, failed."));
    }

    /// <summary>The receiver's words made fit for an outcome message (see <see cref="HttpText.Excerpt"/>); null when there are none.</summary>
    private string? Excerpt(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : HttpText.Excerpt(text, [_accessToken]);

    private sealed record WebhookBatch(string Channel, IReadOnlyList<WebhookUpdate> Updates);

    private sealed record WebhookUpdate(
        string ListingId, string CurrentListingId, string Sku, long Quantity, string Status, long Version);

    private sealed record WebhookAnswer(IReadOnlyList<WebhookResult>? Results);

    private sealed record WebhookResult(string? ListingId, string? Result, string? Message, string? CurrentListingId);
}
