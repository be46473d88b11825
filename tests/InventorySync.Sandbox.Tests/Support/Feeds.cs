using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace InventorySync.Sandbox.Tests.Support;

/// <summary>JSON_LISTINGS_FEED documents and the Feeds API round trip, the way a seller's client does it.</summary>
internal static class Feeds
{
    public static JsonObject PatchMessage(int messageId, string sku, int quantity) => new()
    {
        ["messageId"] = messageId,
        ["sku"] = sku,
        ["operationType"] = "PATCH",
        ["productType"] = "PRODUCT",
        ["patches"] = AvailabilityPatches(quantity),
    };

    public static JsonArray AvailabilityPatches(int quantity) =>
    [
        new JsonObject
        {
            ["op"] = "replace",
            ["path"] = "/attributes/fulfillment_availability",
            ["value"] = new JsonArray(new JsonObject { ["fulfillment_channel_code"] = "DEFAULT", ["quantity"] = quantity }),
        },
    ];

    public static JsonObject Document(params JsonObject[] messages) => new()
    {
        ["header"] = new JsonObject { ["sellerId"] = SandboxHost.SellerId, ["version"] = "2.0" },
        ["messages"] = new JsonArray([.. messages.Select(message => message.DeepClone())]),
    };

    /// <summary>Creates a feed document, uploads the content to its URL, and creates the feed: the feed id.</summary>
    public static async Task<string> SubmitAsync(SandboxHost sandbox, string content)
    {
        using var created = await sandbox.AmazonAsync(HttpMethod.Post, "/feeds/2021-06-30/documents", new { contentType = "application/json; charset=UTF-8" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await SandboxHost.Json(created);
        using var upload = await sandbox.Client.PutAsync((string)document["url"]!, new StringContent(content, Encoding.UTF8, "application/json"));
        upload.EnsureSuccessStatusCode();

        using var feed = await CreateFeedAsync(sandbox, (string)document["feedDocumentId"]!);
        Assert.Equal(HttpStatusCode.Accepted, feed.StatusCode);
        return (string)(await SandboxHost.Json(feed))["feedId"]!;
    }

    public static Task<HttpResponseMessage> CreateFeedAsync(SandboxHost sandbox, string documentId) =>
        sandbox.AmazonAsync(HttpMethod.Post, "/feeds/2021-06-30/feeds",
            new { feedType = "JSON_LISTINGS_FEED", marketplaceIds = new[] { SandboxHost.MarketplaceId }, inputFeedDocumentId = documentId });

    public static async Task<JsonNode> FeedAsync(SandboxHost sandbox, string feedId)
    {
        using var response = await sandbox.AmazonAsync(HttpMethod.Get, $"/feeds/2021-06-30/feeds/{feedId}");
        response.EnsureSuccessStatusCode();
        return await SandboxHost.Json(response);
    }

    /// <summary>The processing report of a finished feed, read through its result document.</summary>
    public static async Task<JsonNode> ReportAsync(SandboxHost sandbox, string feedId)
    {
        var resultDocumentId = (string?)(await FeedAsync(sandbox, feedId))["resultFeedDocumentId"]
            ?? throw new InvalidOperationException($"Feed {feedId} has no result yet.");
        using var document = await sandbox.AmazonAsync(HttpMethod.Get, $"/feeds/2021-06-30/documents/{resultDocumentId}");
        using var report = await sandbox.Client.GetAsync((string)(await SandboxHost.Json(document))["url"]!);
        report.EnsureSuccessStatusCode();
        return await SandboxHost.Json(report);
    }

    /// <summary>Runs a feed to its end on a sandbox whose feeds wait no time, and answers its processing report.</summary>
    public static async Task<JsonNode> RunAsync(SandboxHost sandbox, params JsonObject[] messages)
    {
        var feedId = await SubmitAsync(sandbox, Document(messages).ToJsonString());
        Assert.Equal("DONE", (string?)(await FeedAsync(sandbox, feedId))["processingStatus"]);
        return await ReportAsync(sandbox, feedId);
    }
}
