using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>A feed document: an upload the seller PUT, or a processing report; null content until it is uploaded.</summary>
internal sealed record StoredDocument(string ContentType, byte[]? Content);

/// <summary>
/// The Feeds API's documents and JSON_LISTINGS_FEED feeds. Feeds are processed one at a time in the order they were
/// created: each waits IN_QUEUE for the queue time, stays IN_PROGRESS for the processing time (both scaled), then is
/// applied and DONE (or FATAL), with a processing report as its result document.
/// </summary>
internal sealed class AmazonFeeds : IDisposable
{
    private const string InQueue = "IN_QUEUE";
    private const string InProgress = "IN_PROGRESS";

    private readonly AmazonSandboxOptions options;
    private readonly MarketplaceRuntime runtime;
    private readonly ListingsFeedProcessor processor;
    private readonly SlidingWindowLimit createFeedLimit;
    private readonly RecentItems<string, StoredDocument> documents;
    private readonly RecentItems<string, FeedRecord> feeds;
    private readonly Queue<FeedRecord> queue = new();
    private readonly ITimer timer;
    private readonly Lock sync = new();
    private FeedRecord? processing;
    private long feedCount;

    public AmazonFeeds(AmazonSandboxOptions options, MarketplaceRuntime runtime, AmazonListings listings)
    {
        this.options = options;
        this.runtime = runtime;
        processor = new ListingsFeedProcessor(listings, options.FeedMessageLimit);
        createFeedLimit = new SlidingWindowLimit(runtime.Clock);
        documents = new RecentItems<string, StoredDocument>(options.DocumentCapacity);
        feeds = new RecentItems<string, FeedRecord>(options.DocumentCapacity);
        timer = runtime.Clock.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string CreateDocument(string contentType)
    {
        var documentId = $"amzn1.tortuga.4.na.{Guid.NewGuid():N}";
        lock (sync)
        {
            documents.Add(documentId, new StoredDocument(contentType, null));
        }

        return documentId;
    }

    /// <summary>Stores the content PUT to a document's upload URL; false for a document it does not know.</summary>
    public bool Upload(string documentId, string contentType, byte[] content)
    {
        lock (sync)
        {
            return documents.Replace(documentId, new StoredDocument(contentType, content));
        }
    }

    public StoredDocument? Document(string documentId)
    {
        lock (sync)
        {
            return documents.TryGetValue(documentId, out var document) ? document : null;
        }
    }

    /// <summary>Counts a createFeed call against the limit of feeds per (scaled) window.</summary>
    public bool TryAdmitFeed() => createFeedLimit.TryAcquire(options.FeedsPerWindow, runtime.Scaled(options.FeedWindow));

    /// <summary>Queues a JSON_LISTINGS_FEED, or tells what is wrong with the request.</summary>
    /// <param name="fault">A scripted partial failure for its messages, if any.</param>
    public bool TryCreate(
        CreateFeedSpecification specification,
        Fault? fault,
        [NotNullWhen(true)] out string? feedId,
        [NotNullWhen(false)] out string? problem)
    {
        lock (sync)
        {
            feedId = null;
            if (specification.FeedType != ListingsFeedProcessor.FeedType)
            {
                problem = $"feedType is required: the sandbox processes {ListingsFeedProcessor.FeedType} only.";
                return false;
            }

            if (specification.MarketplaceIds is not { Count: >= 1 and <= 25 } marketplaceIds)
            {
                problem = "marketplaceIds lists 1 to 25 marketplace ids.";
                return false;
            }

            if (specification.InputFeedDocumentId is not { } documentId
                || !documents.TryGetValue(documentId, out var document) || document.Content is null)
            {
                problem = "inputFeedDocumentId must name a feed document whose content was uploaded.";
                return false;
            }

            problem = null;
            feedId = (50_000_000_001 + feedCount++).ToString(CultureInfo.InvariantCulture);
            var feed = new FeedRecord(feedId, [.. marketplaceIds], documentId, runtime.Clock.GetUtcNow(), fault);
            feeds.Add(feedId, feed);
            queue.Enqueue(feed);
        }

        Pump();
        return true;
    }

    public Feed? Find(string feedId)
    {
        lock (sync)
        {
            return feeds.TryGetValue(feedId, out var feed) ? feed.ToContract() : null;
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            queue.Clear();
            processing = null;
            feeds.Clear();
            documents.Clear();
            createFeedLimit.Clear();
        }
    }

    public void Dispose() => timer.Dispose();

    /// <summary>Moves the feeds on as far as the clock allows, then sets the timer for the next step.</summary>
    private void Pump()
    {
        lock (sync)
        {
            while (true)
            {
                var now = runtime.Clock.GetUtcNow();
                if (processing is null)
                {
                    if (!queue.TryDequeue(out var next))
                    {
                        return;
                    }

                    processing = next;
                    processing.StepAt = Max(now, next.CreatedTime + runtime.Scaled(options.FeedQueueTime));
                }

                if (now < processing.StepAt)
                {
                    timer.Change(processing.StepAt - now, Timeout.InfiniteTimeSpan);
                    return;
                }

                if (processing.Status == InQueue)
                {
                    processing.Status = InProgress;
                    processing.StartTime = now;
                    processing.StepAt = now + runtime.Scaled(options.FeedProcessingTime);
                    continue;
                }

                Finish(processing, now);
                processing = null;
            }
        }
    }

    private void Finish(FeedRecord feed, DateTimeOffset now)
    {
        var (fatal, report) = documents.TryGetValue(feed.InputDocumentId, out var input) && input.Content is { } content
            ? processor.Process(feed.FeedId, content, feed.MarketplaceIds, feed.Fault)
            : ListingsFeedProcessor.Fatal(feed.FeedId, null, "The input feed document is no longer available.");
        var resultDocumentId = $"amzn1.tortuga.4.na.{Guid.NewGuid():N}";
        documents.Add(resultDocumentId, new StoredDocument("application/json", JsonSerializer.SerializeToUtf8Bytes(report, SandboxJson.Options)));
        feed.Status = fatal ? "FATAL" : "DONE";
        feed.EndTime = now;
        feed.ResultDocumentId = resultDocumentId;
    }

    private static DateTimeOffset Max(DateTimeOffset left, DateTimeOffset right) => left > right ? left : right;

    private sealed class FeedRecord(
        string feedId, IReadOnlyList<string> marketplaceIds, string inputDocumentId, DateTimeOffset createdTime, Fault? fault)
    {
        public string FeedId { get; } = feedId;

        public IReadOnlyList<string> MarketplaceIds { get; } = marketplaceIds;

        public string InputDocumentId { get; } = inputDocumentId;

        public DateTimeOffset CreatedTime { get; } = createdTime;

        public Fault? Fault { get; } = fault;

        public string Status { get; set; } = InQueue;

        /// <summary>When it moves on: leaves the queue, or finishes processing.</summary>
        public DateTimeOffset StepAt { get; set; }

        public DateTimeOffset? StartTime { get; set; }

        public DateTimeOffset? EndTime { get; set; }

        public string? ResultDocumentId { get; set; }

        public Feed ToContract() => new(
            FeedId, ListingsFeedProcessor.FeedType, MarketplaceIds, CreatedTime, Status, StartTime, EndTime, ResultDocumentId);
    }
}
