using System.Text.Json;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>
/// Processes a JSON_LISTINGS_FEED document (listings-feed-schema-v2): checks the header and each message against the
/// schema's basics, applies the valid messages to the listings in order, and reports per message. A document that
/// is not JSON, lacks the v2 header or has no messages (or too many) is FATAL and changes nothing.
/// </summary>
internal sealed class ListingsFeedProcessor(AmazonListings listings, int messageLimit)
{
    public const string FeedType = "JSON_LISTINGS_FEED";

    private static readonly string[] OperationTypes = ["UPDATE", "PARTIAL_UPDATE", "PATCH", "DELETE"];

    /// <param name="fault">A scripted partial failure: the messages it names fail with an internal error.</param>
    public (bool Fatal, ProcessingReport Report) Process(
        string feedId, byte[] document, IReadOnlyList<string> marketplaceIds, Fault? fault)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(document);
        }
        catch (JsonException)
        {
            return Fatal(feedId, null, "The feed document is not JSON.");
        }

        var header = root?["header"] as JsonObject;
        var sellerId = Text(header?["sellerId"]);
        if (sellerId is null || Text(header?["version"]) != "2.0")
        {
            return Fatal(feedId, sellerId, "The header needs sellerId and version \"2.0\".");
        }

        if (root?["messages"] is not JsonArray { Count: > 0 } messages || messages.Count > messageLimit)
        {
            return Fatal(feedId, sellerId, $"A feed carries 1 to {messageLimit} messages.");
        }

        var issues = new List<ReportIssue>();
        var seenIds = new HashSet<int>();
        for (var index = 0; index < messages.Count; index++)
        {
            if (messages[index] is not JsonObject message
                || message["messageId"] is not JsonValue id || !id.TryGetValue<int>(out var messageId) || messageId < 1)
            {
                issues.Add(new ReportIssue(null, IssueCodes.Invalid, "ERROR", $"Message {index + 1} needs a messageId: a whole number from 1."));
            }
            else if (!seenIds.Add(messageId))
            {
                issues.Add(Invalid(messageId, $"messageId {messageId} appears more than once."));
            }
            else if (fault?.FailsEntry(index, messages.Count) == true)
            {
                issues.Add(new ReportIssue(messageId, IssueCodes.InternalFailure, "ERROR", "An internal error occurred while processing the message. Resubmit it."));
            }
            else if (Apply(messageId, message, marketplaceIds) is { } problem)
            {
                issues.Add(problem);
            }
        }

        var accepted = messages.Count - issues.Count;
        var report = new ProcessingReport(
            new ReportHeader(sellerId, "2.0", feedId),
            issues,
            new ReportSummary(issues.Count, 0, messages.Count, accepted, messages.Count - accepted));
        return (false, report);
    }

    /// <summary>Applies one message, or tells why it is invalid.</summary>
    private ReportIssue? Apply(int messageId, JsonObject message, IReadOnlyList<string> marketplaceIds)
    {
        var sku = Text(message["sku"]);
        var operationType = Text(message["operationType"]);
        var productType = Text(message["productType"]);
        if (sku is null)
        {
            return Invalid(messageId, "sku is required.");
        }

        if (operationType is null || !OperationTypes.Contains(operationType))
        {
            return Invalid(messageId, $"operationType is one of {string.Join(", ", OperationTypes)}.");
        }

        if (operationType == "DELETE")
        {
            return Invalid(messageId, "The sandbox does not delete listings items.");
        }

        if (productType is null)
        {
            return Invalid(messageId, $"productType is required for {operationType}.");
        }

        IReadOnlyList<AvailabilityChange> changes;
        if (operationType == "PATCH")
        {
            if (message["attributes"] is not null || message["requirements"] is not null)
            {
                return Invalid(messageId, "attributes and requirements do not apply to PATCH.");
            }

            if (Patches(message["patches"]) is not { Count: > 0 } patches)
            {
                return Invalid(messageId, "PATCH needs patches: a non-empty array of {op, path, value}.");
            }

            if (AvailabilityPatches.Read(patches, out changes) is [var first, ..] patchIssues)
            {
                return new ReportIssue(messageId, first.Code, "ERROR", string.Join(" ", patchIssues.Select(issue => issue.Message)));
            }
        }
        else
        {
            if (message["attributes"] is not JsonObject { Count: > 0 } attributes || message["patches"] is not null)
            {
                return Invalid(messageId, $"{operationType} needs attributes (a non-empty object) and no patches.");
            }

            AvailabilityChange? change;
            if (attributes.TryGetPropertyValue(AvailabilityPatches.AttributeName, out var availability))
            {
                (change, var issue) = AvailabilityPatches.ReadAttribute(availability);
                if (issue is not null)
                {
                    return new ReportIssue(messageId, issue.Code, "ERROR", issue.Message);
                }
            }
            else
            {
                // UPDATE replaces every attribute: without an availability the offer has none, so it is not buyable.
                change = operationType == "UPDATE" ? new AvailabilityChange(true, 0, new JsonObject()) : null;
            }

            changes = change is null ? [] : [change];
        }

        listings.Apply(sku, productType, marketplaceIds, changes, FeedType);
        return null;
    }

    private static ReportIssue Invalid(int messageId, string message) => new(messageId, IssueCodes.Invalid, "ERROR", message);

    private static List<PatchOperation>? Patches(JsonNode? node)
    {
        try
        {
            return node?.Deserialize<List<PatchOperation>>(SandboxJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    public static (bool Fatal, ProcessingReport Report) Fatal(string feedId, string? sellerId, string message) =>
        (true, new ProcessingReport(
            new ReportHeader(sellerId, "2.0", feedId),
            [new ReportIssue(null, IssueCodes.Invalid, "ERROR", message)],
            new ReportSummary(1, 0, 0, 0, 0)));
}
