using System.Net;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Tests.Support;

namespace InventorySync.Sandbox.Tests;

public sealed class AmazonFeedsApiTests
{
    [Fact]
    public async Task A_feed_goes_from_IN_QUEUE_to_IN_PROGRESS_to_DONE_on_scaled_time_and_applies_its_messages_in_order()
    {
        await using var sandbox = await SandboxHost.StartAsync(options =>
        {
            options.Amazon.TimeScale = 60;
            options.Amazon.FeedQueueTime = TimeSpan.FromMinutes(1);
            options.Amazon.FeedProcessingTime = TimeSpan.FromMinutes(2);
        });

        var feedId = await Feeds.SubmitAsync(sandbox, Feeds.Document(
            Feeds.PatchMessage(1, "MUG", 5), Feeds.PatchMessage(2, "CAP", 1), Feeds.PatchMessage(3, "MUG", 0)).ToJsonString());
        var queued = await Feeds.FeedAsync(sandbox, feedId);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        var inProgress = await Feeds.FeedAsync(sandbox, feedId);
        using var listingDuringProcessing = await sandbox.ControlResponseAsync("amazon", HttpMethod.Get, "/listings/MUG");
        sandbox.Clock.Advance(TimeSpan.FromSeconds(2));
        var done = await Feeds.FeedAsync(sandbox, feedId);

        Assert.Equal("IN_QUEUE", (string?)queued["processingStatus"]);
        Assert.Equal("IN_PROGRESS", (string?)inProgress["processingStatus"]);
        Assert.Equal(HttpStatusCode.NotFound, listingDuringProcessing.StatusCode);
        Assert.Equal("DONE", (string?)done["processingStatus"]);
        Assert.Equal(
            [("MUG", 5), ("CAP", 1), ("MUG", 0)],
            (await sandbox.LogAsync("amazon")).Select(entry => ((string?)entry!["listing"], (int)entry["quantity"]!)));
        Assert.Equal("inactive", (string?)(await sandbox.ListingAsync("amazon", "MUG"))["status"]);
        var report = await Feeds.ReportAsync(sandbox, feedId);
        Assert.Equal((3, 3, 0), ((int)report["summary"]!["messagesProcessed"]!, (int)report["summary"]!["messagesAccepted"]!, (int)report["summary"]!["messagesInvalid"]!));
    }

    [Fact]
    public async Task Feeds_are_processed_one_after_the_other_in_the_order_they_were_created()
    {
        await using var sandbox = await SandboxHost.StartAsync(options =>
        {
            options.Amazon.FeedQueueTime = TimeSpan.Zero;
            options.Amazon.FeedProcessingTime = TimeSpan.FromSeconds(10);
        });

        var first = await Feeds.SubmitAsync(sandbox, Feeds.Document(Feeds.PatchMessage(1, "MUG", 5)).ToJsonString());
        var second = await Feeds.SubmitAsync(sandbox, Feeds.Document(Feeds.PatchMessage(1, "MUG", 2)).ToJsonString());
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));
        var secondAfterFirst = await Feeds.FeedAsync(sandbox, second);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("DONE", (string?)(await Feeds.FeedAsync(sandbox, first))["processingStatus"]);
        Assert.Equal("IN_PROGRESS", (string?)secondAfterFirst["processingStatus"]);
        Assert.Equal("DONE", (string?)(await Feeds.FeedAsync(sandbox, second))["processingStatus"]);
        Assert.Equal([5, 2], (await sandbox.LogAsync("amazon", "MUG")).Select(entry => (int)entry!["quantity"]!));
    }

    [Fact]
    public async Task The_report_lists_invalid_and_failed_messages_and_the_valid_ones_are_applied()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Amazon.FeedQueueTime = options.Amazon.FeedProcessingTime = TimeSpan.Zero);
        await sandbox.ScriptFaultAsync("amazon", new { kind = "partialFailure", operation = "createFeed", entries = new[] { 2 } });
        var missingQuantity = Feeds.PatchMessage(2, "CAP", 1);
        missingQuantity["patches"]![0]!["value"]![0]!.AsObject().Remove("quantity");

        var report = await Feeds.RunAsync(sandbox, Feeds.PatchMessage(1, "MUG", 4), missingQuantity, Feeds.PatchMessage(3, "HAT", 2));

        Assert.Equal(
            [(2, "90220"), (3, "InternalFailure")],
            report["issues"]!.AsArray().Select(issue => ((int)issue!["messageId"]!, (string?)issue["code"])));
        Assert.Equal(["MUG"], (await sandbox.LogAsync("amazon")).Select(entry => (string?)entry!["listing"]));
    }

    [Fact]
    public async Task A_document_without_the_v2_header_is_FATAL_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Amazon.FeedQueueTime = options.Amazon.FeedProcessingTime = TimeSpan.Zero);
        var document = Feeds.Document(Feeds.PatchMessage(1, "MUG", 4));
        document["header"]!["version"] = "1.0";

        var feedId = await Feeds.SubmitAsync(sandbox, document.ToJsonString());

        Assert.Equal("FATAL", (string?)(await Feeds.FeedAsync(sandbox, feedId))["processingStatus"]);
        Assert.Equal(1, (int)(await Feeds.ReportAsync(sandbox, feedId))["summary"]!["errors"]!);
        Assert.Empty(await sandbox.LogAsync("amazon"));
    }

    [Fact]
    public async Task A_sixth_feed_within_five_scaled_minutes_is_refused_with_QuotaExceeded_and_allowed_once_the_window_moves()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Amazon.TimeScale = 60);
        using var created = await sandbox.AmazonAsync(HttpMethod.Post, "/feeds/2021-06-30/documents", new { contentType = "application/json" });
        var document = await SandboxHost.Json(created);
        (await sandbox.Client.PutAsync((string)document["url"]!, JsonContent(Feeds.Document(Feeds.PatchMessage(1, "MUG", 1))))).EnsureSuccessStatusCode();
        var documentId = (string)document["feedDocumentId"]!;
        for (var feed = 0; feed < 5; feed++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Feeds.CreateFeedAsync(sandbox, documentId)).StatusCode);
        }

        using var sixth = await Feeds.CreateFeedAsync(sandbox, documentId);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(5));
        using var later = await Feeds.CreateFeedAsync(sandbox, documentId);

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Null(sixth.Headers.RetryAfter);
        Assert.Equal("QuotaExceeded", (string?)(await SandboxHost.Json(sixth))["errors"]![0]!["code"]);
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
    }

    [Fact]
    public async Task A_feed_needs_an_uploaded_document()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        using var created = await sandbox.AmazonAsync(HttpMethod.Post, "/feeds/2021-06-30/documents", new { contentType = "application/json" });

        using var refused = await Feeds.CreateFeedAsync(sandbox, (string)(await SandboxHost.Json(created))["feedDocumentId"]!);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("InvalidInput", (string?)(await SandboxHost.Json(refused))["errors"]![0]!["code"]);
    }

    private static StringContent JsonContent(JsonNode document) =>
        new(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
