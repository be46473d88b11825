using System.Net;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Tests.Support;

namespace InventorySync.Sandbox.Tests;

public sealed class EbayInventoryApiTests
{
    [Fact]
    public async Task A_bulk_update_of_more_than_25_entries_is_refused_with_an_ebay_error_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var offers = Enumerable.Range(1, 26).Select(i => new { offerId = $"O-{i}", availableQuantity = 1 }).ToArray();

        using var oversized = await sandbox.BulkUpdateAsync(new { sku = "MUG", offers });
        using var atTheLimit = await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = offers[..25] });

        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        var error = (await SandboxHost.Json(oversized))["errors"]![0]!;
        Assert.Equal(25709, (int)error["errorId"]!);
        Assert.Equal("API_INVENTORY", (string?)error["domain"]);
        Assert.Equal(HttpStatusCode.OK, atTheLimit.StatusCode);
        Assert.Equal(25, (await sandbox.LogAsync("ebay")).Count);
    }

    [Fact]
    public async Task The_listing_shows_the_smaller_of_the_offer_quantity_and_the_ship_to_home_quantity()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        (await sandbox.BulkUpdateAsync(new { sku = "MUG", shipToLocationAvailability = new { quantity = 4 }, offers = new[] { new { offerId = "O-1", availableQuantity = 9 } } }))
            .EnsureSuccessStatusCode();
        var capped = await sandbox.ListingAsync("ebay", "O-1");
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", shipToLocationAvailability = new { quantity = 12 } })).EnsureSuccessStatusCode();
        var raised = await sandbox.ListingAsync("ebay", "O-1");

        Assert.Equal(4, (int)capped["quantity"]!);
        Assert.Equal(9, (int)raised["quantity"]!);
    }

    [Fact]
    public async Task A_call_without_a_bearer_token_gets_401_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Ebay.AccessToken = "the-token");

        using var missing = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw", token: null);
        using var wrong = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw", token: "another-token");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(1001, (int)(await SandboxHost.Json(wrong))["errors"]![0]!["errorId"]!);
        Assert.Empty(await sandbox.LogAsync("ebay"));
    }

    [Fact]
    public async Task Past_the_burst_calls_get_429_with_ebays_error_body_and_Retry_After_until_tokens_refill()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var update = new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 1 } } };
        for (var call = 0; call < 10; call++)
        {
            (await sandbox.BulkUpdateAsync(update)).EnsureSuccessStatusCode();
        }

        using var throttled = await sandbox.BulkUpdateAsync(update);
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(100));
        using var refilled = await sandbox.BulkUpdateAsync(update);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        Assert.Equal(2001, (int)(await SandboxHost.Json(throttled))["errors"]![0]!["errorId"]!);
        Assert.Equal(HttpStatusCode.OK, refilled.StatusCode);
        Assert.Equal(11, (await sandbox.LogAsync("ebay")).Count);
    }

    [Fact]
    public async Task Withdraw_ends_the_listing_and_publish_relists_the_same_offer_under_a_new_listing_id()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 3 } } })).EnsureSuccessStatusCode();

        var withdrawn = await SandboxHost.Json(await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw"));
        var ended = await SandboxHost.Json(await sandbox.EbayAsync(HttpMethod.Get, "/offer/O-1"));
        var published = await SandboxHost.Json(await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/publish/"));
        using var publishedAgain = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/publish");
        var relisted = await sandbox.ListingAsync("ebay", "O-1");

        Assert.Equal("UNPUBLISHED", (string?)ended["status"]);
        Assert.Equal("ENDED", (string?)ended["listing"]!["listingStatus"]);
        Assert.NotEqual((string?)withdrawn["listingId"], (string?)published["listingId"]);
        Assert.Equal((string?)published["listingId"], (string?)(await SandboxHost.Json(publishedAgain))["listingId"]);
        Assert.Equal("active", (string?)relisted["status"]);
        Assert.Equal(3, (int)relisted["quantity"]!);
        Assert.Equal([(string?)withdrawn["listingId"], (string?)published["listingId"]], relisted["listingIds"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public async Task Withdrawing_an_ended_offer_is_refused_as_not_available()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw")).EnsureSuccessStatusCode();

        using var again = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw");

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(25713, (int)(await SandboxHost.Json(again))["errors"]![0]!["errorId"]!);
    }

    [Fact]
    public async Task Quantity_0_ends_a_listing_without_out_of_stock_control_and_keeps_one_with_it_active_but_out_of_stock()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/listings", new { offerId = "KEPT", sku = "CAP", quantity = 2, outOfStockControl = true });

        (await sandbox.BulkUpdateAsync(
            new { sku = "MUG", offers = new[] { new { offerId = "ENDS", availableQuantity = 0 } } },
            new { sku = "CAP", offers = new[] { new { offerId = "KEPT", availableQuantity = 0 } } })).EnsureSuccessStatusCode();

        Assert.Equal("ended", (string?)(await sandbox.ListingAsync("ebay", "ENDS"))["status"]);
        var kept = await SandboxHost.Json(await sandbox.EbayAsync(HttpMethod.Get, "/offer/KEPT"));
        Assert.Equal("PUBLISHED", (string?)kept["status"]);
        Assert.Equal("OUT_OF_STOCK", (string?)kept["listing"]!["listingStatus"]);
    }

    [Fact]
    public async Task Publishing_an_ended_offer_at_quantity_0_is_refused_until_a_quantity_is_set()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 0 } } })).EnsureSuccessStatusCode();

        using var refused = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/publish");
        using var stored = await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 2 } } });
        using var published = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/publish");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(25004, (int)(await SandboxHost.Json(refused))["errors"]![0]!["errorId"]!);
        Assert.Equal(25402, (int)(await SandboxHost.Json(stored))["responses"]![0]!["warnings"]![0]!["errorId"]!);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var listing = await sandbox.ListingAsync("ebay", "O-1");
        Assert.Equal(("active", 2), ((string?)listing["status"], (int)listing["quantity"]!));
    }

    [Fact]
    public async Task A_partial_failure_fails_the_scripted_requests_with_a_system_error_and_applies_the_others()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "partialFailure", operation = "bulkUpdatePriceQuantity", entries = new[] { 1 } });

        using var response = await sandbox.BulkUpdateAsync(
            new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 5 } } },
            new { sku = "CAP", offers = new[] { new { offerId = "O-2", availableQuantity = 6 } } });

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var entries = (await SandboxHost.Json(response))["responses"]!.AsArray();
        Assert.Equal([200, 500], entries.Select(entry => (int)entry!["statusCode"]!));
        Assert.Equal(25001, (int)entries[1]!["errors"]![0]!["errorId"]!);
        Assert.Equal(["O-1"], (await sandbox.LogAsync("ebay")).Select(entry => (string?)entry!["listing"]));
    }

    [Fact]
    public async Task A_dropped_response_applies_the_change_and_then_aborts_the_connection()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "dropResponse" });

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 5 } } }));

        var log = await sandbox.LogAsync("ebay");
        Assert.Equal(5, (int)Assert.Single(log)!["quantity"]!);
    }

    [Fact]
    public async Task A_server_error_answers_the_scripted_5xx_with_ebays_body_and_applies_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "serverError", statusCode = 503 });

        using var failed = await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 5 } } });
        using var next = await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 4 } } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(25001, (int)(await SandboxHost.Json(failed))["errors"]![0]!["errorId"]!);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(4, (int)Assert.Single(await sandbox.LogAsync("ebay"))!["quantity"]!);
    }

    [Fact]
    public async Task A_timeout_holds_the_call_until_the_client_gives_up_and_applies_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "timeout" });
        using var givingUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sandbox/ebay/sell/inventory/v1/offer/O-1/withdraw");
        request.Headers.Authorization = new("Bearer", "token");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sandbox.Client.SendAsync(request, givingUp.Token));

        Assert.Empty(await sandbox.LogAsync("ebay"));
        Assert.Empty((JsonArray)await sandbox.ControlAsync("ebay", HttpMethod.Get, "/listings"));
    }
}
