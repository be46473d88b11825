using System.Text.Json.Nodes;

namespace InventorySync.Sandbox.Amazon;

// The Selling Partner API shapes the sandbox reads and writes: Listings Items 2021-08-01
// (listingsItems_2021-08-01.json), Feeds 2021-06-30, and the JSON_LISTINGS_FEED processing report.

internal sealed record AmazonErrorList(IReadOnlyList<AmazonError> Errors);

internal sealed record AmazonError(string Code, string Message, string? Details = null);

internal sealed record ListingsItemPatchRequest(string? ProductType, IReadOnlyList<PatchOperation>? Patches);

internal sealed record PatchOperation(string? Op, string? Path, JsonArray? Value);

internal sealed record ListingsItemSubmissionResponse(string Sku, string Status, string SubmissionId, IReadOnlyList<Issue> Issues);

internal sealed record Issue(
    string Code,
    string Message,
    string Severity,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string>? AttributeNames = null);

internal sealed record ListingsItem(
    string Sku,
    IReadOnlyList<ItemSummary>? Summaries,
    JsonObject? Attributes,
    IReadOnlyList<Issue>? Issues,
    IReadOnlyList<ItemFulfillmentAvailability>? FulfillmentAvailability);

internal sealed record ItemSummary(
    string MarketplaceId,
    string ProductType,
    IReadOnlyList<string> Status,
    DateTimeOffset CreatedDate,
    DateTimeOffset LastUpdatedDate);

internal sealed record ItemFulfillmentAvailability(string FulfillmentChannelCode, int Quantity);

internal sealed record CreateFeedDocumentSpecification(string? ContentType);

internal sealed record CreateFeedDocumentResponse(string FeedDocumentId, string Url);

internal sealed record CreateFeedSpecification(string? FeedType, IReadOnlyList<string>? MarketplaceIds, string? InputFeedDocumentId);

internal sealed record CreateFeedResponse(string FeedId);

internal sealed record Feed(
    string FeedId,
    string FeedType,
    IReadOnlyList<string> MarketplaceIds,
    DateTimeOffset CreatedTime,
    string ProcessingStatus,
    DateTimeOffset? ProcessingStartTime,
    DateTimeOffset? ProcessingEndTime,
    string? ResultFeedDocumentId);

internal sealed record FeedDocument(string FeedDocumentId, string Url);

internal sealed record ProcessingReport(ReportHeader Header, IReadOnlyList<ReportIssue> Issues, ReportSummary Summary);

internal sealed record ReportHeader(string? SellerId, string Version, string FeedId);

internal sealed record ReportIssue(int? MessageId, string Code, string Severity, string Message);

internal sealed record ReportSummary(int Errors, int Warnings, int MessagesProcessed, int MessagesAccepted, int MessagesInvalid);

/// <summary>The issue codes the sandbox reports; 90220 is Amazon's "required but not supplied", the others its own.</summary>
internal static class IssueCodes
{
    public const string Missing = "90220";
    public const string Invalid = "4000001";
    public const string InternalFailure = "InternalFailure";
}
