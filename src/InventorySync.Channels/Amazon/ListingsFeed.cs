using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.Json;
using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Amazon;

/// <summary>
/// The bulk path: a whole batch as one JSON_LISTINGS_FEED through the Feeds API 2021-06-30. createFeedDocument, PUT
/// the document (header and one PATCH message per SKU, listings-feed-schema-v2) to its pre-signed URL, createFeed, read
/// the feed with getFeed every poll interval until DONE, FATAL or CANCELLED, then map the processing report per
/// message: an ERROR issue rejects the message's update (an internal failure only fails it transiently), any other
/// message is applied. FATAL and CANCELLED fail every update transiently (FATAL may have applied part of the feed,
/// which is harmless: updates carry absolute values). Waiting ends with the call's cancellation token, by an
/// <see cref="OperationCanceledException"/>: the feed may still be applied, so its SKUs stay in
/// <see cref="UnfinishedFeeds"/> until Amazon is seen to have finished it. Amazon takes minutes to process a feed: a
/// channel whose batch size lets feeds happen needs a call timeout that allows for it.
/// </summary>
internal sealed class ListingsFeed(
    SellingPartnerApi api, HttpClient http, TimeProvider clock, string sellerId, string marketplaceId,
    TimeSpan pollInterval, UnfinishedFeeds unfinished)
{
    /// <summary>The most messages one JSON_LISTINGS_FEED document may carry (listings-feed-schema-v2 maxItems).</summary>
    public const int MaxMessages = 25_000;

    private const string FeedType = "JSON_LISTINGS_FEED";
    private const string DocumentContentType = "application/json; charset=UTF-8";
    private const string FeedsPath = "feeds/2021-06-30";
    /// <summary>The Selling Partner API's code for its own internal errors: resubmitting is the remedy.</summary>
    private const string InternalFailure = "InternalFailure";

    private enum Progress { Pending, Finished, Unknown }

    public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
        IReadOnlyList<MarketplaceUpdate> updates, CancellationToken cancellationToken)
    {
        string documentId;
        Uri uploadUrl;
        using (var answer = await api.SendAsync(HttpMethod.Post, $"{FeedsPath}/documents",
                   new CreateFeedDocumentSpecification(DocumentContentType), cancellationToken))
        {
            if (!answer.IsSuccess)
                return All(updates, Classify(answer.Status), "createFeedDocument: " + await answer.DescribeFailureAsync(cancellationToken));
            if (await answer.ReadJsonAsync<CreateFeedDocumentResponse>(cancellationToken) is not { FeedDocumentId.Length: > 0 } created ||
                !TryHttpUrl(created.Url, out uploadUrl))
                return All(updates, UpdateResult.TransientFailure, "createFeedDocument answered no feed document id and upload URL.");
            documentId = created.FeedDocumentId;
        }

        // The pre-signed URL carries its own authorization: no access token goes to the storage behind it.
        using (var upload = new HttpRequestMessage(HttpMethod.Put, uploadUrl))
        {
            upload.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Document(updates), SellingPartnerApi.Json))
            {
                Headers = { ContentType = MediaTypeHeaderValue.Parse(DocumentContentType) },
            };
            using var uploaded = await http.SendAsync(upload, cancellationToken);
            if (!uploaded.IsSuccessStatusCode)
                return All(updates, UpdateResult.TransientFailure, $"Uploading the feed document answered HTTP {(int)uploaded.StatusCode}.");
        }

        string feedId;
        using (var answer = await api.SendAsync(HttpMethod.Post, $"{FeedsPath}/feeds",
                   new CreateFeedSpecification(FeedType, [marketplaceId], documentId), cancellationToken))
        {
            if (!answer.IsSuccess)
                return All(updates, Classify(answer.Status), "createFeed: " + await answer.DescribeFailureAsync(cancellationToken));
            if (await answer.ReadJsonAsync<CreateFeedResponse>(cancellationToken) is not { FeedId.Length: > 0 } created)
                return All(updates, UpdateResult.TransientFailure, "createFeed answered no feed id.");
            feedId = created.FeedId;
        }

        unfinished.Started(feedId, updates.Select(u => u.ListingId).ToList());
        var (progress, feed) = await WaitAsync(feedId, cancellationToken);
        unfinished.Finished(feedId);
        return (progress, feed?.ProcessingStatus) switch
        {
            (Progress.Unknown, _) => All(updates, UpdateResult.TransientFailure,
                $"Amazon no longer knows feed {feedId}: whether it was applied is unknown."),
            (_, "DONE") => await ReadReportAsync(feed!.ResultFeedDocumentId, cancellationToken) is { } report
                ? Outcomes(updates, report)
                : All(updates, UpdateResult.TransientFailure, $"Feed {feedId} is DONE but its processing report could not be read."),
            (_, "FATAL") => All(updates, UpdateResult.TransientFailure, AmazonText.Excerpt(
                $"Feed {feedId} ended FATAL and may be partly applied. " +
                AmazonText.Issues((await ReadReportAsync(feed!.ResultFeedDocumentId, cancellationToken))?.Issues?
                    .Where(i => i.MessageId is null).Select(i => (i.Message, i.Code)) ?? []), null)),
            _ => All(updates, UpdateResult.TransientFailure, $"Feed {feedId} was cancelled: none of it was applied."),
        };
    }

    /// <summary>
    /// Whether a feed this client created and did not see finish still holds one of these SKUs and may be applied
    /// later; feeds seen finished are forgotten.
    /// </summary>
    public async Task<bool> HoldsAnyAsync(IReadOnlyList<MarketplaceUpdate> updates, CancellationToken cancellationToken)
    {
        foreach (var feedId in unfinished.Holding(updates.Select(u => u.ListingId)))
        {
            if ((await ReadAsync(feedId, cancellationToken)).Progress == Progress.Pending) return true;
            unfinished.Finished(feedId);
        }
        return false;
    }

    private ListingsFeedDocument Document(IReadOnlyList<MarketplaceUpdate> updates) =>
        new(new ListingsFeedHeader(sellerId, "2.0", AmazonListingsClient.IssueLocale),
            updates.Select((u, index) => new ListingsFeedMessage(
                index + 1, u.ListingId, "PATCH", AmazonListingsClient.ProductType, AmazonListingsClient.QuantityPatches(u.Quantity)))
                .ToList());

    private async Task<(Progress Progress, Feed? Feed)> WaitAsync(string feedId, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(pollInterval, clock, cancellationToken);
            var read = await ReadAsync(feedId, cancellationToken);
            if (read.Progress != Progress.Pending) return read;
        }
    }

    /// <summary>
    /// getFeed. A read that fails (network, throttled, 5xx, a refused token that is now invalidated) tells nothing and
    /// counts as pending: the feed goes on regardless, and the next read may tell.
    /// </summary>
    private async Task<(Progress Progress, Feed? Feed)> ReadAsync(string feedId, CancellationToken cancellationToken)
    {
        try
        {
            using var answer = await api.SendAsync(
                HttpMethod.Get, $"{FeedsPath}/feeds/{Uri.EscapeDataString(feedId)}", null, cancellationToken);
            if (answer.Status == 404) return (Progress.Unknown, null);
            return answer.IsSuccess &&
                   await answer.ReadJsonAsync<Feed>(cancellationToken) is { ProcessingStatus: "DONE" or "FATAL" or "CANCELLED" } feed
                ? (Progress.Finished, feed)
                : (Progress.Pending, null);
        }
        catch (HttpRequestException)
        {
            return (Progress.Pending, null);
        }
    }

    /// <summary>The processing report behind a result document id, or null when it cannot be read.</summary>
    private async Task<ProcessingReport?> ReadReportAsync(string? documentId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(documentId)) return null;
        FeedDocument? document;
        using (var answer = await api.SendAsync(
                   HttpMethod.Get, $"{FeedsPath}/documents/{Uri.EscapeDataString(documentId)}", null, cancellationToken))
            document = answer.IsSuccess ? await answer.ReadJsonAsync<FeedDocument>(cancellationToken) : null;
        if (document is null || !TryHttpUrl(document.Url, out var url)) return null;

        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode) return null;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var content = string.Equals(document.CompressionAlgorithm, "GZIP", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(body, CompressionMode.Decompress)
            : body;
        try
        {
            return await JsonSerializer.DeserializeAsync<ProcessingReport>(content, SellingPartnerApi.Json, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Message n is the batch's n-th update; its ERROR issues decide, warnings and info do not.</summary>
    private static List<UpdateOutcome> Outcomes(IReadOnlyList<MarketplaceUpdate> updates, ProcessingReport report)
    {
        var errors = (report.Issues ?? [])
            .Where(i => i.MessageId is not null && string.Equals(i.Severity, "ERROR", StringComparison.OrdinalIgnoreCase))
            .ToLookup(i => i.MessageId!.Value);
        return updates.Select((u, index) => errors[index + 1].ToList() switch
        {
            [] => new UpdateOutcome(u.ListingId, UpdateResult.Applied),
            var issues => new UpdateOutcome(u.ListingId,
                issues.All(i => i.Code == InternalFailure) ? UpdateResult.TransientFailure : UpdateResult.Rejected,
                Message: AmazonText.Excerpt(AmazonText.Issues(issues.Select(i => (i.Message, i.Code))), null)),
        }).ToList();
    }

    /// <summary>A refused Feeds API call, for every update of the feed.</summary>
    private static UpdateResult Classify(int status) => status switch
    {
        429 => UpdateResult.Throttled,
        401 or 403 or 408 or >= 500 => UpdateResult.TransientFailure,
        _ => UpdateResult.Rejected,
    };

    private static List<UpdateOutcome> All(IReadOnlyList<MarketplaceUpdate> updates, UpdateResult result, string message) =>
        updates.Select(u => new UpdateOutcome(u.ListingId, result, Message: message)).ToList();

    private static bool TryHttpUrl(string? text, out Uri url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
