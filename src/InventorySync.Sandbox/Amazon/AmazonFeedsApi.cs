using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>
/// The Feeds API 2021-06-30 under <c>/sandbox/amazon/feeds/2021-06-30</c>, enough for JSON_LISTINGS_FEED: create a
/// feed document (its upload URL points back at the sandbox, as a pre-signed URL would: no token needed), create a
/// feed (at most <see cref="AmazonSandboxOptions.FeedsPerWindow"/> per scaled window, then 429 QuotaExceeded), and
/// read feeds and documents back.
/// </summary>
internal static class AmazonFeedsApi
{
    private const string DocumentEndpoint = "InventorySync.Sandbox.AmazonFeedDocument";

    private static readonly ApiOperation CreateFeedDocument = new("createFeedDocument");
    private static readonly ApiOperation GetFeedDocument = new("getFeedDocument");
    private static readonly ApiOperation CreateFeed = new("createFeed", IsBatch: true);
    private static readonly ApiOperation GetFeed = new("getFeed");

    public static void MapAmazonFeedsApi(this IEndpointRouteBuilder amazon, AmazonSandbox sandbox)
    {
        var gate = new ApiGate(sandbox.Runtime, AmazonDialect.Instance);
        var feeds = amazon.MapGroup("/feeds/2021-06-30").AddEndpointFilter(AmazonDialect.StampRequestId);

        feeds.MapPost("/documents", async (HttpContext http, LinkGenerator links) =>
        {
            var admission = await gate.AdmitAsync(http, CreateFeedDocument, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            if (await SandboxJson.ReadAsync<CreateFeedDocumentSpecification>(http.Request) is not { ContentType.Length: > 0 } specification)
            {
                return AmazonDialect.InvalidInput("The body must be a CreateFeedDocumentSpecification with a contentType.");
            }

            var documentId = sandbox.Feeds.CreateDocument(specification.ContentType);
            return admission.Deliver(http, SandboxJson.Result(
                new CreateFeedDocumentResponse(documentId, DocumentUrl(http, links, documentId)), StatusCodes.Status201Created));
        });

        feeds.MapGet("/documents/{feedDocumentId}", async (HttpContext http, LinkGenerator links, string feedDocumentId) =>
        {
            var admission = await gate.AdmitAsync(http, GetFeedDocument, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            return admission.Deliver(http, sandbox.Feeds.Document(feedDocumentId) is null
                ? AmazonDialect.Errors(StatusCodes.Status404NotFound, "NotFound", $"Feed document {feedDocumentId} not found.")
                : SandboxJson.Result(new FeedDocument(feedDocumentId, DocumentUrl(http, links, feedDocumentId))));
        });

        feeds.MapPost("/feeds", async (HttpContext http) =>
        {
            var admission = await gate.AdmitAsync(http, CreateFeed, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            if (!sandbox.Feeds.TryAdmitFeed())
            {
                return AmazonDialect.Instance.Throttled(CreateFeed, TimeSpan.Zero);
            }

            if (await SandboxJson.ReadAsync<CreateFeedSpecification>(http.Request) is not { } specification)
            {
                return AmazonDialect.InvalidInput("The body must be a CreateFeedSpecification.");
            }

            return admission.Deliver(http, sandbox.Feeds.TryCreate(specification, admission.Fault, out var feedId, out var problem)
                ? SandboxJson.Result(new CreateFeedResponse(feedId), StatusCodes.Status202Accepted)
                : AmazonDialect.InvalidInput(problem));
        });

        feeds.MapGet("/feeds/{feedId}", async (HttpContext http, string feedId) =>
        {
            var admission = await gate.AdmitAsync(http, GetFeed, AmazonDialect.AccessToken(http.Request));
            if (admission.Refusal is { } refusal)
            {
                return refusal;
            }

            return admission.Deliver(http, sandbox.Feeds.Find(feedId) is { } feed
                ? SandboxJson.Result(feed)
                : AmazonDialect.Errors(StatusCodes.Status404NotFound, "NotFound", $"Feed {feedId} not found."));
        });

        // The documents' own URLs, standing in for pre-signed storage URLs: upload with PUT, download with GET.
        amazon.MapPut("/_documents/{feedDocumentId}", async (HttpRequest request, string feedDocumentId) =>
        {
            using var content = new MemoryStream();
            await request.Body.CopyToAsync(content, request.HttpContext.RequestAborted);
            var contentType = request.ContentType ?? "application/octet-stream";
            return sandbox.Feeds.Upload(feedDocumentId, contentType, content.ToArray()) ? Results.Ok() : Results.NotFound();
        });
        amazon.MapGet("/_documents/{feedDocumentId}", (string feedDocumentId) =>
                sandbox.Feeds.Document(feedDocumentId) is { Content: { } content } document
                    ? Results.Bytes(content, document.ContentType)
                    : Results.NotFound())
            .WithName(DocumentEndpoint);
    }

    private static string DocumentUrl(HttpContext http, LinkGenerator links, string documentId) =>
        links.GetUriByName(http, DocumentEndpoint, new { feedDocumentId = documentId })
        ?? throw new InvalidOperationException("The sandbox's feed document endpoint is not mapped.");
}
