using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InventorySync.Channels.Amazon;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using InventorySync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static InventorySync.Channels.Tests.Amazon.AmazonTestData;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>The Amazon adapter over real HTTP against the sandbox's Listings Items and Feeds APIs.</summary>
public sealed class AmazonListingsClientTests : IAsyncLifetime
{
    private readonly RecordingHandler _recorder = new();
    private readonly HttpClient _http;
    private AmazonSandboxHost? _sandbox;

    public AmazonListingsClientTests() => _http = new HttpClient(_recorder) { Timeout = Timeout.InfiniteTimeSpan };

    private AmazonSandboxHost Sandbox => _sandbox ?? throw new InvalidOperationException("Start the sandbox first.");

    private IEnumerable<RecordedCall> Patches => _recorder.Calls.Where(c => c.IsPatch);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_sandbox is not null) await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_quantity_change_is_one_PATCH_merging_the_DEFAULT_availability_and_the_listing_shows_it()
    {
        var client = await StartAsync();

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 7)], default));

        Assert.Equal(new UpdateOutcome("MUG-RED", UpdateResult.Applied), outcome);
        var listing = await Sandbox.ListingAsync("MUG-RED");
        Assert.Equal((7, "active"), ((int)listing["quantity"]!, (string?)listing["status"]));
        var patch = Assert.Single(_recorder.Calls);
        Assert.Equal(HttpMethod.Patch, patch.Method);
        Assert.Equal(
            $"/sandbox/amazon/listings/2021-08-01/items/{AmazonSandboxHost.SellerId}/MUG-RED?marketplaceIds={AmazonSandboxHost.MarketplaceId}&issueLocale=en_US",
            patch.Uri.PathAndQuery);
        Assert.Equal(AccessToken, patch.Headers["x-amz-access-token"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"productType":"PRODUCT","patches":[{"op":"merge","path":"/attributes/fulfillment_availability",
             "value":[{"fulfillment_channel_code":"DEFAULT","quantity":7}]}]}
            """), JsonNode.Parse(patch.Body!)), patch.Body);
    }

    [Fact]
    public async Task Out_of_stock_sends_quantity_0_and_the_offer_goes_inactive()
    {
        var client = await StartAsync();
        await Sandbox.SeedAsync("MUG-RED", 5);

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 0)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var listing = await Sandbox.ListingAsync("MUG-RED");
        Assert.Equal((0, "inactive"), ((int)listing["quantity"]!, (string?)listing["status"]));
    }

    [Fact]
    public async Task Back_in_stock_a_positive_quantity_makes_the_offer_active_again()
    {
        var client = await StartAsync();
        await Sandbox.SeedAsync("MUG-RED", 0);

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 4)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var listing = await Sandbox.ListingAsync("MUG-RED");
        Assert.Equal((4, "active"), ((int)listing["quantity"]!, (string?)listing["status"]));
    }

    [Fact]
    public async Task A_SKU_with_a_slash_and_spaces_is_one_escaped_path_segment()
    {
        var client = await StartAsync();

        Assert.Equal(UpdateResult.Applied, Assert.Single(await client.SendAsync([Update("MUG/RED 1+1", 2)], default)).Result);

        Assert.EndsWith("/items/A2SELLER/MUG%2FRED%201%2B1", Assert.Single(_recorder.Calls).Uri.AbsolutePath);
        Assert.Equal(2, (int)(await Sandbox.ListingAsync("MUG/RED 1+1"))["quantity"]!);
    }

    [Fact]
    public async Task The_sixth_quick_PATCH_is_throttled_by_Amazon_with_QuotaExceeded_and_no_retry_time()
    {
        // Amazon's 5/s, burst 5 on the sandbox (its clock stands still); the channel is configured above it, as when
        // another application of the seller spends the same quota, so the 429 comes from Amazon.
        var client = await StartAsync(sandbox => sandbox.Channel(ratePerSecond: 50, burst: 50));

        var outcomes = new List<UpdateOutcome>();
        for (var i = 1; i <= 6; i++) outcomes.AddRange(await client.SendAsync([Update($"SKU-{i}", i)], default));

        Assert.All(outcomes.Take(5), o => Assert.Equal(UpdateResult.Applied, o.Result));
        var throttled = outcomes[5];
        Assert.Equal(UpdateResult.Throttled, throttled.Result);
        Assert.Null(throttled.RetryAfter);
        Assert.Contains("QuotaExceeded", throttled.Message);
        Assert.Equal(5, (await Sandbox.LogAsync()).Count);
    }

    [Fact]
    public async Task After_a_429_the_rest_of_the_batch_is_not_sent_and_is_throttled_too()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 3));
        await Sandbox.ScriptFaultAsync(new { kind = "throttle", operation = "patchListingsItem" });

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 2), Update("C", 3)], default);

        Assert.Equal(["A", "B", "C"], outcomes.Select(o => o.ListingId));
        Assert.All(outcomes, o => Assert.Equal((UpdateResult.Throttled, (TimeSpan?)null), (o.Result, o.RetryAfter)));
        Assert.StartsWith("Not sent", outcomes[1].Message);
        Assert.Single(Patches);
    }

    [Fact]
    public async Task PATCHes_beyond_the_channel_rate_are_not_sent_and_come_back_throttled_until_the_next_token()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var client = await StartAsync(
            sandbox => sandbox.Channel(batchSize: 8), clock: clock,
            configure: options => options.Amazon.ListingsRateLimit = new RateLimitOptions { PerSecond = 100, Burst = 100 });
        MarketplaceUpdate[] batch = [.. Enumerable.Range(1, 8).Select(i => Update($"SKU-{i}", i))];

        var first = await client.SendAsync(batch, default);
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var second = await client.SendAsync(batch[5..], default);

        Assert.All(first.Take(5), o => Assert.Equal(UpdateResult.Applied, o.Result));
        Assert.All(first.Skip(5), o => Assert.Equal((UpdateResult.Throttled, (TimeSpan?)TimeSpan.FromMilliseconds(200)), (o.Result, o.RetryAfter)));
        Assert.Equal([UpdateResult.Applied, UpdateResult.Throttled, UpdateResult.Throttled], second.Select(o => o.Result));
        Assert.Equal(6, Patches.Count());
    }

    [Theory]
    [InlineData(500, "InternalFailure")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task A_server_error_is_a_transient_failure_with_Amazons_words(int status, string code)
    {
        var client = await StartAsync();
        await Sandbox.ScriptFaultAsync(new { kind = "serverError", statusCode = status });

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 3)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.StartsWith($"HTTP {status}: {code}", outcome.Message);
        Assert.Empty(await Sandbox.LogAsync());
    }

    [Fact]
    public async Task An_INVALID_submission_is_rejected_with_Amazons_message()
    {
        var client = await StartAsync();

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 3_000_000_000)], default));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Equal("Amazon found the submission INVALID: quantity is a whole number, 0 or more. [4000001]", outcome.Message);
        Assert.Empty(await Sandbox.LogAsync());
    }

    [Fact]
    public async Task A_status_Amazon_cannot_show_is_rejected_without_a_call()
    {
        var client = await StartAsync();

        var outcome = Assert.Single(await client.SendAsync(
            [new MarketplaceUpdate("MUG-RED", "MUG-RED", "MUG-RED", 3, ListingStatus.Disabled, 1, null)], default));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Contains("cannot show disabled with quantity 3", outcome.Message);
        Assert.Empty(_recorder.Calls);
    }

    [Fact]
    public async Task A_SKU_Amazon_does_not_know_is_gone()
    {
        await using var amazon = await ScriptedReceiver.StartAsync();
        amazon.Answer(new Reply(404, """{"errors":[{"code":"NOT_FOUND","message":"SKU 'MUG-RED' not found."}]}"""));
        var client = await StartAsync(sandbox => sandbox.Channel() with { BaseUrl = amazon.Url });

        var outcome = Assert.Single(await client.SendAsync([Update("MUG-RED", 3)], default));

        Assert.Equal(new UpdateOutcome("MUG-RED", UpdateResult.Gone, Message: "HTTP 404: NOT_FOUND: SKU 'MUG-RED' not found."), outcome);
    }

    [Fact]
    public async Task A_batch_above_the_threshold_goes_as_one_feed_that_applies_every_listing_in_order_without_any_PATCH()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds(feedThreshold: 3));
        await Sandbox.SeedAsync("SKU-3", 9);
        MarketplaceUpdate[] batch = [.. Enumerable.Range(1, 10).Select(i => Update($"SKU-{i}", i % 3 == 0 ? 0 : i * 10))];

        var outcomes = await client.SendAsync(batch, default);

        Assert.Equal(batch.Select(u => new UpdateOutcome(u.ListingId, UpdateResult.Applied)), outcomes);
        Assert.Empty(Patches);
        var log = await Sandbox.LogAsync();
        Assert.Equal(
            batch.Select(u => (u.ListingId, "JSON_LISTINGS_FEED", (int)u.Quantity, u.Quantity > 0 ? "active" : "inactive")),
            log.Select(e => ((string)e!["listing"]!, (string)e["operation"]!, (int)e["quantity"]!, (string)e["status"]!)));
        var calls = _recorder.Calls;
        Assert.Equal(
            [
                "POST /feeds/2021-06-30/documents", "PUT /_documents/{id}", "POST /feeds/2021-06-30/feeds",
                "GET /feeds/2021-06-30/feeds/{id}", "GET /feeds/2021-06-30/documents/{id}", "GET /_documents/{id}",
            ],
            calls.Select(Describe).Distinct());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""
                {"feedType":"JSON_LISTINGS_FEED","marketplaceIds":["{{AmazonSandboxHost.MarketplaceId}}"],
                 "inputFeedDocumentId":"{{DocumentId(calls[1])}}"}
                """),
            JsonNode.Parse(calls[2].Body!)), calls[2].Body);
        Assert.False(calls[1].Headers.ContainsKey("x-amz-access-token"), "the pre-signed upload URL gets no access token");
    }

    [Fact]
    public async Task By_default_as_many_updates_as_the_PATCH_rate_clears_in_a_minute_go_by_PATCH()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 1_000), clock: new FakeTimeProvider());

        var outcomes = await client.SendAsync([.. Enumerable.Range(1, 300).Select(i => Update($"P-{i}", 1))], default);

        Assert.Equal(300, AmazonListingsOptions.For(Sandbox.Channel()).FeedThreshold);
        Assert.Equal(5, outcomes.Count(o => o.Result == UpdateResult.Applied));
        Assert.Equal(295, outcomes.Count(o => o.Result == UpdateResult.Throttled));
        Assert.Equal(5, Patches.Count());
        Assert.DoesNotContain(_recorder.Calls, c => c.Uri.AbsolutePath.Contains("/feeds/"));
    }

    [Fact]
    public async Task By_default_more_updates_than_the_PATCH_rate_clears_in_a_minute_go_as_one_feed()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 1_000),
            channel => AmazonListingsOptions.For(channel) with { FeedPollInterval = TimeSpan.FromMilliseconds(20) });

        var outcomes = await client.SendAsync([.. Enumerable.Range(1, 301).Select(i => Update($"F-{i}", 1))], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        Assert.Empty(Patches);
        Assert.Equal(301, (await Sandbox.LogAsync()).Count(e => (string?)e!["operation"] == "JSON_LISTINGS_FEED"));
    }

    [Fact]
    public async Task A_feed_message_with_an_error_is_rejected_with_Amazons_message_and_the_others_are_applied()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds());

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 3_000_000_000), Update("C", 0), Update("D", 4)], default);

        Assert.Equal(
            [
                new UpdateOutcome("A", UpdateResult.Applied),
                new UpdateOutcome("B", UpdateResult.Rejected, Message: "quantity is a whole number, 0 or more. [4000001]"),
                new UpdateOutcome("C", UpdateResult.Applied),
                new UpdateOutcome("D", UpdateResult.Applied),
            ],
            outcomes);
        Assert.Equal(["A", "C", "D"], (await Sandbox.LogAsync()).Select(e => (string)e!["listing"]!));
    }

    [Fact]
    public async Task A_feed_message_that_failed_inside_Amazon_fails_transiently_rather_than_waiting_for_an_operator()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds());
        await Sandbox.ScriptFaultAsync(new { kind = "partialFailure", operation = "createFeed", entries = new[] { 1 } });

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 2), Update("C", 3), Update("D", 4)], default);

        Assert.Equal([UpdateResult.Applied, UpdateResult.TransientFailure, UpdateResult.Applied, UpdateResult.Applied], outcomes.Select(o => o.Result));
        Assert.Contains("Resubmit", outcomes[1].Message);
    }

    [Fact]
    public async Task A_FATAL_feed_fails_every_update_transiently_with_Amazons_reason()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds(),
            configure: options => options.Amazon.FeedMessageLimit = 3);

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 2), Update("C", 3), Update("D", 4)], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.TransientFailure, o.Result));
        Assert.All(outcomes, o => Assert.Matches(@"^Feed \d+ ended FATAL and may be partly applied\. A feed carries 1 to 3 messages\.", o.Message));
        Assert.Empty(await Sandbox.LogAsync());
    }

    [Fact]
    public async Task A_feed_refused_for_quota_throttles_the_whole_batch_without_a_retry_time()
    {
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds(), configure: options => options.Amazon.FeedsPerWindow = 1);
        await client.SendAsync([Update("A", 1), Update("B", 2), Update("C", 3), Update("D", 4)], default);

        var outcomes = await client.SendAsync([Update("A", 5), Update("B", 6), Update("C", 7), Update("D", 8)], default);

        Assert.All(outcomes, o => Assert.Equal((UpdateResult.Throttled, (TimeSpan?)null), (o.Result, o.RetryAfter)));
        Assert.All(outcomes, o => Assert.StartsWith("createFeed: HTTP 429: QuotaExceeded", o.Message));
    }

    [Fact]
    public async Task A_GZIP_compressed_processing_report_is_read()
    {
        // Amazon may compress a result document (getFeedDocument says compressionAlgorithm GZIP); the sandbox never does.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var amazon = builder.Build();
        var report = Gzip("""
            {"header":{"sellerId":"A2SELLER","version":"2.0","feedId":"7"},
             "issues":[{"messageId":2,"code":"90220","severity":"ERROR","message":"'quantity' is required but not supplied."}],
             "summary":{"errors":1,"warnings":0,"messagesProcessed":2,"messagesAccepted":1,"messagesInvalid":1}}
            """);
        amazon.MapPost("/feeds/2021-06-30/documents", (HttpRequest r) =>
            Results.Json(new { feedDocumentId = "in", url = $"{r.Scheme}://{r.Host}/upload" }, statusCode: 201));
        amazon.MapPut("/upload", () => Results.Ok());
        amazon.MapPost("/feeds/2021-06-30/feeds", () => Results.Json(new { feedId = "7" }, statusCode: 202));
        amazon.MapGet("/feeds/2021-06-30/feeds/7", () => Results.Json(new { feedId = "7", processingStatus = "DONE", resultFeedDocumentId = "out" }));
        amazon.MapGet("/feeds/2021-06-30/documents/out", (HttpRequest r) =>
            Results.Json(new { feedDocumentId = "out", url = $"{r.Scheme}://{r.Host}/report", compressionAlgorithm = "GZIP" }));
        amazon.MapGet("/report", () => Results.Bytes(report, "application/octet-stream"));
        await amazon.StartAsync();
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10) with { BaseUrl = new Uri(amazon.Urls.Single()) }, _ => FastFeeds(1));

        var outcomes = await client.SendAsync([Update("A", 1), Update("B", 2)], default);

        Assert.Equal(
            [
                new UpdateOutcome("A", UpdateResult.Applied),
                new UpdateOutcome("B", UpdateResult.Rejected, Message: "'quantity' is required but not supplied. [90220]"),
            ],
            outcomes);
    }

    [Fact]
    public async Task A_feed_that_outlives_its_call_keeps_its_SKUs_off_the_PATCH_path_until_Amazon_has_finished_it()
    {
        // Feeds wait a minute in Amazon's queue; the sandbox's clock stands still until the test moves it.
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 10), _ => FastFeeds(),
            configure: options => options.Amazon.FeedQueueTime = TimeSpan.FromMinutes(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.SendAsync([Update("A", 1), Update("B", 2), Update("C", 3), Update("D", 4)], CancelAtFirstPoll()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync([Update("A", 10)], CancelAtFirstPoll()));
        var patchesWhileQueued = Patches.Count();
        Sandbox.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterwards = await client.SendAsync([Update("A", 20)], default);
        var otherSku = await client.SendAsync([Update("B", 30)], default);

        Assert.Equal(0, patchesWhileQueued);
        Assert.Equal(2, _recorder.Calls.Count(c => c.Method == HttpMethod.Post && c.Uri.AbsolutePath.EndsWith("/feeds")));
        Assert.Equal(UpdateResult.Applied, Assert.Single(afterwards).Result);
        Assert.Equal(UpdateResult.Applied, Assert.Single(otherSku).Result);
        Assert.Equal(2, Patches.Count());
        Assert.Equal(
            [("A", 1), ("B", 2), ("C", 3), ("D", 4), ("A", 10), ("A", 20), ("B", 30)],
            (await Sandbox.LogAsync()).Select(e => ((string)e!["listing"]!, (int)e["quantity"]!)));
    }

    [Fact]
    public async Task The_access_token_is_in_no_outcome_message_even_when_Amazon_echoes_it()
    {
        await using var amazon = await ScriptedReceiver.StartAsync();
        amazon.Answer(request => request.Path.Contains("A-400")
            ? new Reply(400, $$"""{"errors":[{"code":"InvalidInput","message":"bad token {{request.Headers["x-amz-access-token"]}}"}]}""")
            : request.Path.Contains("A-500")
                ? new Reply(500, $"upstream said: {request.Headers["x-amz-access-token"]}", "text/plain")
                : new Reply(200, $$"""
                    {"sku":"A-200","status":"INVALID","submissionId":"1",
                     "issues":[{"code":"1","message":"token {{request.Headers["x-amz-access-token"]}}","severity":"ERROR","categories":[]}]}
                    """));
        var client = await StartAsync(sandbox => sandbox.Channel(batchSize: 3) with { BaseUrl = amazon.Url });

        var outcomes = await client.SendAsync([Update("A-400", 1), Update("A-500", 1), Update("A-200", 1)], default);

        Assert.Equal([UpdateResult.Rejected, UpdateResult.TransientFailure, UpdateResult.Rejected], outcomes.Select(o => o.Result));
        Assert.All(amazon.Requests, r => Assert.Equal(AccessToken, r.Headers["x-amz-access-token"]));
        Assert.All(outcomes, o => Assert.Contains("[redacted]", o.Message));
        Assert.All(outcomes, o => Assert.DoesNotContain("secret", o.Message));
    }

    [Fact]
    public async Task A_response_lost_after_the_update_was_applied_is_an_exception_without_the_access_token()
    {
        var client = await StartAsync();
        await Sandbox.ScriptFaultAsync(new { kind = "dropResponse" });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync([Update("MUG-RED", 3)], default));

        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain("secret", e.Message);
            Assert.DoesNotContain("secret", e.ToString());
        }
        Assert.Equal(3, (int)(await Sandbox.ListingAsync("MUG-RED"))["quantity"]!);
    }

    /// <summary>Starts the sandbox and an adapter for <paramref name="channel"/> (the catalog's defaults when null).</summary>
    private async Task<AmazonListingsClient> StartAsync(
        Func<AmazonSandboxHost, ChannelDefinition>? channel = null,
        Func<ChannelDefinition, AmazonListingsOptions>? options = null,
        TimeProvider? clock = null,
        Action<SandboxOptions>? configure = null)
    {
        _sandbox = await AmazonSandboxHost.StartAsync(configure);
        var definition = channel?.Invoke(_sandbox) ?? _sandbox.Channel();
        return new AmazonListingsClient(
            definition, _http, clock ?? TimeProvider.System, options?.Invoke(definition) ?? AmazonListingsOptions.For(definition));
    }

    /// <summary>A token cancelled as the call, having created its feed, first asks how the feed is doing: the call times out.</summary>
    private CancellationToken CancelAtFirstPoll()
    {
        var timeout = new CancellationTokenSource();
        var feedCreated = false;
        _recorder.Sending = call =>
        {
            if (call.Method == HttpMethod.Post && call.Uri.AbsolutePath.EndsWith("/feeds/2021-06-30/feeds")) feedCreated = true;
            else if (feedCreated && call.Method == HttpMethod.Get && call.Uri.AbsolutePath.Contains("/feeds/2021-06-30/feeds/")) timeout.Cancel();
        };
        return timeout.Token;
    }

    /// <summary><c>{method} {path below the API root}</c>, feed and document ids as <c>{id}</c>.</summary>
    private string Describe(RecordedCall call) =>
        $"{call.Method} " + Regex.Replace(call.Uri.AbsolutePath[Sandbox.BaseUrl.AbsolutePath.Length..], @"/(amzn1\.[^/]+|\d+)$", "/{id}");

    private static byte[] Gzip(string text)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return compressed.ToArray();
    }

    /// <summary>The feed document id in a pre-signed upload URL (<c>…/_documents/{id}</c>).</summary>
    private static string DocumentId(RecordedCall upload) => Uri.UnescapeDataString(upload.Uri.Segments[^1]);
}
