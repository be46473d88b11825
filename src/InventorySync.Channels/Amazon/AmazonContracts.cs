using System.Text.Json.Serialization;

namespace InventorySync.Channels.Amazon;

// The Selling Partner API shapes the adapter sends and reads: Listings Items 2021-08-01 (listingsItems_2021-08-01.json),
// Feeds 2021-06-30, the JSON_LISTINGS_FEED document (listings-feed-schema-v2.json) and its processing report. Only the
// fields the adapter uses are declared; unknown fields in answers are ignored.

/// <summary>The body of <c>patchListingsItem</c> (ListingsItemPatchRequest: productType and patches are required).</summary>
internal sealed record ListingsItemPatchRequest(string ProductType, IReadOnlyList<PatchOperation> Patches);

/// <summary>One JSON Patch operation; the value of <c>/attributes/fulfillment_availability</c> is its entries.</summary>
internal sealed record PatchOperation(string Op, string Path, IReadOnlyList<FulfillmentAvailability> Value);

/// <summary>A <c>fulfillment_availability</c> entry; <c>DEFAULT</c> is the seller's own (merchant-fulfilled) stock.</summary>
internal sealed record FulfillmentAvailability(
    [property: JsonPropertyName("fulfillment_channel_code")] string FulfillmentChannelCode,
    [property: JsonPropertyName("quantity")] long Quantity);

/// <summary>ListingsItemSubmissionResponse: <c>status</c> is ACCEPTED, INVALID or VALID (validation preview only).</summary>
internal sealed record ListingsItemSubmissionResponse(string? Status, IReadOnlyList<ListingsIssue>? Issues);

/// <summary>An issue of a submission or of a feed message (ERROR, WARNING or INFO).</summary>
internal sealed record ListingsIssue(string? Code, string? Message, string? Severity);

/// <summary>ErrorList: the body of every refused Selling Partner API call.</summary>
internal sealed record ErrorList(IReadOnlyList<ApiError>? Errors);

internal sealed record ApiError(string? Code, string? Message, string? Details);

/// <summary>A JSON_LISTINGS_FEED document, version 2.0.</summary>
internal sealed record ListingsFeedDocument(ListingsFeedHeader Header, IReadOnlyList<ListingsFeedMessage> Messages);

internal sealed record ListingsFeedHeader(string SellerId, string Version, string IssueLocale);

/// <summary>A PATCH message: the same patches as <c>patchListingsItem</c>, for one SKU, correlated by its message id.</summary>
internal sealed record ListingsFeedMessage(
    int MessageId, string Sku, string OperationType, string ProductType, IReadOnlyList<PatchOperation> Patches);

internal sealed record CreateFeedDocumentSpecification(string ContentType);

/// <summary>The answer to <c>createFeedDocument</c>: the document's id and the pre-signed URL to PUT its content to.</summary>
internal sealed record CreateFeedDocumentResponse(string? FeedDocumentId, string? Url);

internal sealed record CreateFeedSpecification(string FeedType, IReadOnlyList<string> MarketplaceIds, string InputFeedDocumentId);

internal sealed record CreateFeedResponse(string? FeedId);

/// <summary>A feed as <c>getFeed</c> answers it: IN_QUEUE, IN_PROGRESS, then DONE, FATAL or CANCELLED.</summary>
internal sealed record Feed(string? ProcessingStatus, string? ResultFeedDocumentId);

/// <summary>A feed document as <c>getFeedDocument</c> answers it: where to download it, and whether it is compressed.</summary>
internal sealed record FeedDocument(string? Url, string? CompressionAlgorithm);

/// <summary>The processing report of a JSON_LISTINGS_FEED: issues per message id (none for an accepted message).</summary>
internal sealed record ProcessingReport(IReadOnlyList<ReportIssue>? Issues);

internal sealed record ReportIssue(int? MessageId, string? Code, string? Severity, string? Message);
