using System.Text.Json.Nodes;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Tests.Webhook;

public sealed class WebhookClientTests : IAsyncLifetime
{
    private const string Token = "tok-5f3a9c1e-very-secret";
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private readonly MarketplaceClientFactory _factory = new(new FixedClock(Now));
    private ScriptedReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await ScriptedReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _factory.Dispose();
    }

    [Fact]
    public async Task Batch_is_posted_as_camel_case_json_with_bearer_token_and_idempotency_key()
    {
        var outcomes = await SendAsync(
            new MarketplaceUpdate("1001", "1001", "SKU-RED", 4, ListingStatus.Active, 17, ListingStatus.Active),
            new MarketplaceUpdate("2002/7", "2002/9", "SKU-BLUE", 0, ListingStatus.Disabled, 18, null));

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/stock?shop=eu", request.Path);
        Assert.Equal("Bearer " + Token, request.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Matches("^[0-9a-f]{64}$", request.Headers["Idempotency-Key"]);
        AssertJsonEqual("""
            {
              "channel": "shop-eu",
              "updates": [
                { "listingId": "1001", "currentListingId": "1001", "sku": "SKU-RED", "quantity": 4, "status": "active", "version": 17 },
                { "listingId": "2002/7", "currentListingId": "2002/9", "sku": "SKU-BLUE", "quantity": 0, "status": "disabled", "version": 18 }
              ]
            }
            """, request.Body);
        Assert.Equal(2, outcomes.Count); // one outcome per update, so the next line cannot pass on none
        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
    }

    [Fact]
    public async Task Without_an_access_token_no_authorization_header_is_sent()
    {
        await SendAsync(Client(accessToken: null), Update("1001"));

        Assert.False(Assert.Single(_receiver.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Idempotency_key_repeats_for_a_retried_batch_and_changes_with_a_version_or_the_channel()
    {
        await SendAsync(Update("a", version: 7), Update("b", version: 3));
        await SendAsync(Update("b", version: 3), Update("a", version: 7));
        await SendAsync(Update("a", version: 8), Update("b", version: 3));
        await SendAsync(Client(channelId: "shop-us"), Update("a", version: 7), Update("b", version: 3));

        var keys = _receiver.Requests.Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
        Assert.NotEqual(keys[0], keys[3]);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task Success_without_a_body_applies_every_update(int status)
    {
        _receiver.Answer(new Reply(status));

        var outcomes = await SendAsync(Update("a"), Update("b"));

        Assert.Equal([new UpdateOutcome("a", UpdateResult.Applied), new UpdateOutcome("b", UpdateResult.Applied)], outcomes);
    }

    [Theory]
    [InlineData("OK", "text/plain")]
    [InlineData("""{"received":2}""", "application/json")]
    [InlineData("""{"results":null}""", "application/json")]
    public async Task Success_with_a_body_that_is_not_a_results_object_applies_every_update(string body, string contentType)
    {
        _receiver.Answer(new Reply(200, body, contentType));

        var outcomes = await SendAsync(Update("a"), Update("b"));

        Assert.Equal([new UpdateOutcome("a", UpdateResult.Applied), new UpdateOutcome("b", UpdateResult.Applied)], outcomes);
    }

    [Fact]
    public async Task Results_classify_each_listing_and_a_listing_left_out_is_a_transient_failure()
    {
        _receiver.Answer(new Reply(200, """
            {"results":[
              {"listingId":"applied","result":"applied"},
              {"listingId":"relisted","result":"applied","currentListingId":"relisted-2"},
              {"listingId":"gone","result":"gone","message":"product deleted"},
              {"listingId":"rejected","result":"rejected","message":"quantity above the shop's maximum"},
              {"listingId":"failed","result":"failed","message":"database busy"},
              {"listingId":"not-in-the-batch","result":"applied"}
            ]}
            """));

        var outcomes = await SendAsync(
            Update("applied"), Update("relisted"), Update("gone"), Update("rejected"), Update("failed"), Update("left-out"));

        Assert.Equal(
        [
            new UpdateOutcome("applied", UpdateResult.Applied),
            new UpdateOutcome("relisted", UpdateResult.Applied, CurrentListingId: "relisted-2"),
            new UpdateOutcome("gone", UpdateResult.Gone, Message: "product deleted"),
            new UpdateOutcome("rejected", UpdateResult.Rejected, Message: "quantity above the shop's maximum"),
            new UpdateOutcome("failed", UpdateResult.TransientFailure, Message: "database busy"),
            new UpdateOutcome("left-out", UpdateResult.TransientFailure, Message: "The receiver's results left this listing out."),
        ], outcomes);
    }

    [Fact]
    public async Task A_result_outside_the_contract_is_rejected_quoting_it()
    {
        _receiver.Answer(new Reply(200, """{"results":[{"listingId":"a","result":"queued"}]}"""));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Contains("'queued'", outcome.Message);
    }

    [Fact]
    public async Task Too_many_requests_with_delta_seconds_throttles_every_update_for_that_long()
    {
        _receiver.Answer(new Reply(429) { Headers = new Dictionary<string, string> { ["Retry-After"] = "42" } });

        var outcomes = await SendAsync(Update("a"), Update("b"));

        Assert.All(outcomes, o =>
        {
            Assert.Equal(UpdateResult.Throttled, o.Result);
            Assert.Equal(TimeSpan.FromSeconds(42), o.RetryAfter);
        });
    }

    [Theory]
    [InlineData(90, 90)]
    [InlineData(-30, 0)]
    public async Task Too_many_requests_with_an_http_date_throttles_until_that_date(int secondsFromNow, int expectedSeconds)
    {
        var date = Now.AddSeconds(secondsFromNow).ToString("r");
        _receiver.Answer(new Reply(429) { Headers = new Dictionary<string, string> { ["Retry-After"] = date } });

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(UpdateResult.Throttled, outcome.Result);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), outcome.RetryAfter);
    }

    [Fact]
    public async Task Too_many_requests_without_retry_after_throttles_with_no_delay_given()
    {
        _receiver.Answer(new Reply(429, "slow down", "text/plain"));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(new UpdateOutcome("a", UpdateResult.Throttled, Message: "HTTP 429: slow down"), outcome);
    }

    [Theory]
    [InlineData(500, "boom", "HTTP 500: boom")]
    [InlineData(503, "\n  maintenance\n  until noon\n", "HTTP 503: maintenance until noon")]
    [InlineData(408, "", "HTTP 408")]
    public async Task Server_errors_and_request_timeouts_are_transient_failures_with_status_and_body(
        int status, string body, string message)
    {
        _receiver.Answer(new Reply(status, body, "text/plain"));

        var outcomes = await SendAsync(Update("a"), Update("b"));

        Assert.Equal(
        [
            new UpdateOutcome("a", UpdateResult.TransientFailure, Message: message),
            new UpdateOutcome("b", UpdateResult.TransientFailure, Message: message),
        ], outcomes);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Not_found_and_gone_mean_every_listing_is_gone(int status)
    {
        _receiver.Answer(new Reply(status));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(new UpdateOutcome("a", UpdateResult.Gone, Message: $"HTTP {status}"), outcome);
    }

    [Theory]
    [InlineData(400, """{"error":"sku SKU-1 is unknown"}""")]
    [InlineData(422, "quantity must not be negative")]
    [InlineData(401, "unauthorized")]
    public async Task Other_client_errors_are_rejected_with_the_receivers_message(int status, string body)
    {
        _receiver.Answer(new Reply(status, body, "text/plain"));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(new UpdateOutcome("a", UpdateResult.Rejected, Message: $"HTTP {status}: {body}"), outcome);
    }

    [Fact]
    public async Task A_long_error_body_is_cut_to_300_characters()
    {
        _receiver.Answer(new Reply(400, "<html>" + new string('x', 10_000) + "</html>", "text/html"));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.NotNull(outcome.Message);
        Assert.StartsWith("HTTP 400: <html>xxx", outcome.Message);
        var excerpt = outcome.Message["HTTP 400: ".Length..];
        Assert.Equal(300, excerpt.Length);
        Assert.EndsWith("…", excerpt);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_but_rejected()
    {
        _receiver.Answer(new Reply(302) { Headers = new Dictionary<string, string> { ["Location"] = "/elsewhere" } });

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal(new UpdateOutcome("a", UpdateResult.Rejected, Message: "HTTP 302"), outcome);
        Assert.Single(_receiver.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task The_access_token_never_appears_in_an_error_message_even_when_the_receiver_echoes_it(int status)
    {
        _receiver.Answer(request => new Reply(status, $"bad credentials: {request.Headers["Authorization"]}", "text/plain"));

        var outcome = Assert.Single(await SendAsync(Update("a")));

        Assert.Equal($"HTTP {status}: bad credentials: Bearer [redacted]", outcome.Message);
    }

    [Fact]
    public async Task The_access_token_never_appears_in_a_per_listing_message_or_partly_at_the_cut()
    {
        _receiver.Answer(request => new Reply(200, $$"""
            {"results":[
              {"listingId":"a","result":"rejected","message":"token {{Token}} lacks scope"},
              {"listingId":"b","result":"{{Token}}"},
              {"listingId":"c","result":"failed","message":"{{new string('.', 295) + Token}}"}
            ]}
            """));

        var outcomes = await SendAsync(Update("a"), Update("b"), Update("c"));

        Assert.Equal("token [redacted] lacks scope", outcomes[0].Message);
        Assert.Contains("'[redacted]'", outcomes[1].Message);
        Assert.EndsWith(".[red…", outcomes[2].Message);
        Assert.All(outcomes, o => Assert.DoesNotContain(Token[..4], o.Message));
    }

    [Fact]
    public async Task A_network_failure_throws_without_the_access_token()
    {
        var closedPort = _factory.Create(TestChannels.Definition(
            "shop-eu", MarketplaceKind.Webhook, new Uri("http://127.0.0.1:1/hooks"), Token));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(closedPort, Update("a")));

        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task Cancellation_by_the_caller_abandons_the_call()
    {
        using var cancellation = new CancellationTokenSource();
        // Cancelled once the receiver holds the request, as the gateway's call timeout would, rather than after a guess.
        _receiver.Answer(request =>
        {
            _ = cancellation.CancelAsync();
            return new Reply(200) { NeverAnswers = true };
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().SendAsync([Update("a")], cancellation.Token));

        await _receiver.Abandoned.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Client().SendAsync([Update("a")], new CancellationToken(canceled: true)));

        Assert.Empty(_receiver.Requests);
    }

    private IMarketplaceClient Client(string channelId = "shop-eu", string? accessToken = Token) =>
        _factory.Create(TestChannels.Definition(
            channelId, MarketplaceKind.Webhook, new Uri(_receiver.Url, "hooks/stock?shop=eu"), accessToken));

    private Task<IReadOnlyList<UpdateOutcome>> SendAsync(params MarketplaceUpdate[] batch) => SendAsync(Client(), batch);

    private static Task<IReadOnlyList<UpdateOutcome>> SendAsync(IMarketplaceClient client, params MarketplaceUpdate[] batch) =>
        client.SendAsync(batch, CancellationToken.None);

    private static MarketplaceUpdate Update(string listingId, long version = 7) =>
        new(listingId, listingId, "SKU-1", 3, ListingStatus.Active, version, null);

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Sent: {actual}");
}
