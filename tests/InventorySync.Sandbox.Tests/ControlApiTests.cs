using System.Net;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InventorySync.Sandbox.Tests;

public sealed class ControlApiTests
{
    [Fact]
    public async Task A_buyer_cannot_buy_more_than_the_listing_shows()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", 2)).EnsureSuccessStatusCode();

        using var tooMany = await sandbox.ControlResponseAsync("amazon", HttpMethod.Post, "/buy", new { sku = "MUG", quantity = 3 });
        var bought = await sandbox.ControlAsync("amazon", HttpMethod.Post, "/buy", new { sku = "MUG", quantity = 2 });
        using var soldOut = await sandbox.ControlResponseAsync("amazon", HttpMethod.Post, "/buy", new { sku = "MUG", quantity = 1 });

        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
        Assert.Equal(("inactive", 0, 2), ((string?)bought["status"], (int)bought["quantity"]!, (int)bought["soldQuantity"]!));
        Assert.Equal(HttpStatusCode.Conflict, soldOut.StatusCode);
    }

    [Fact]
    public async Task Selling_out_a_fixed_price_listing_without_out_of_stock_control_ends_it_and_no_more_can_be_bought()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.TradingAsync("ReviseInventoryStatus", "<InventoryStatus><ItemID>100</ItemID><Quantity>2</Quantity></InventoryStatus>");
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", shipToLocationAvailability = new { quantity = 3 }, offers = new[] { new { offerId = "O-1", availableQuantity = 1 } } }))
            .EnsureSuccessStatusCode();

        var item = await sandbox.ControlAsync("ebay", HttpMethod.Post, "/buy", new { itemId = "100", quantity = 2 });
        var offer = await sandbox.ControlAsync("ebay", HttpMethod.Post, "/buy", new { offerId = "O-1", quantity = 1 });
        using var afterTheEnd = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/buy", new { itemId = "100", quantity = 1 });

        Assert.Equal(("ended", 0), ((string?)item["status"], (int)item["quantity"]!));
        Assert.Equal(("ended", 0), ((string?)offer["status"], (int)offer["quantity"]!));
        Assert.Equal(HttpStatusCode.Conflict, afterTheEnd.StatusCode);
    }

    [Fact]
    public async Task A_listing_with_out_of_stock_control_stays_active_when_it_sells_out()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Ebay.OutOfStockControl = true);
        await sandbox.TradingAsync("ReviseInventoryStatus", "<InventoryStatus><ItemID>100</ItemID><Quantity>1</Quantity></InventoryStatus>");

        var item = await sandbox.ControlAsync("ebay", HttpMethod.Post, "/buy", new { itemId = "100", quantity = 1 });

        Assert.Equal(("active", 0, true), ((string?)item["status"], (int)item["quantity"]!, (bool)item["outOfStockControl"]!));
    }

    [Fact]
    public async Task A_purchase_names_a_known_listing_the_marketplace_way_and_at_least_one_unit()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 2 } } })).EnsureSuccessStatusCode();

        using var unknown = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/buy", new { offerId = "NONE", quantity = 1 });
        using var bySku = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/buy", new { sku = "MUG", quantity = 1 });
        using var negative = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/buy", new { offerId = "O-1", quantity = -1 });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bySku.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(2, (int)(await sandbox.ListingAsync("ebay", "O-1"))["quantity"]!);
    }

    [Fact]
    public async Task The_log_records_every_applied_update_with_its_time_and_filters_by_listing_id_and_since()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var start = sandbox.Clock.GetUtcNow();
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/listings", new { itemId = "100", quantity = 1, status = "ended" });
        var relisted = await sandbox.TradingAsync("RelistFixedPriceItem", "<Item><ItemID>100</ItemID><Quantity>3</Quantity></Item>");
        var newItemId = TradingAnswer.Value(relisted.Root, "ItemID");
        sandbox.Clock.Advance(TimeSpan.FromMinutes(1));
        await sandbox.TradingAsync("ReviseInventoryStatus", $"<InventoryStatus><ItemID>{newItemId}</ItemID><Quantity>2</Quantity></InventoryStatus>");
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/buy", new { itemId = newItemId, quantity = 1 });
        (await sandbox.BulkUpdateAsync(new { sku = "CAP", offers = new[] { new { offerId = "O-1", availableQuantity = 4 } } })).EnsureSuccessStatusCode();

        var family = await sandbox.LogAsync("ebay", "100");
        var byNewId = await sandbox.LogAsync("ebay", newItemId);
        var since = (JsonArray)await sandbox.ControlAsync("ebay", HttpMethod.Get,
            $"/log?listing=100&since={Uri.EscapeDataString(start.AddSeconds(30).ToString("O"))}");

        Assert.Equal(
            [("RelistFixedPriceItem", 3, start), ("ReviseInventoryStatus", 2, start.AddMinutes(1)), ("buy", 1, start.AddMinutes(1))],
            family.Select(entry => ((string?)entry!["operation"], (int)entry["quantity"]!, (DateTimeOffset)entry["time"]!)));
        Assert.All(family, entry => Assert.Equal((newItemId, "active"), ((string?)entry!["listingId"], (string?)entry["status"])));
        Assert.Equal(3, byNewId.Count);
        Assert.Equal(["ReviseInventoryStatus", "buy"], since.Select(entry => (string?)entry!["operation"]));
        Assert.Equal(4, (await sandbox.LogAsync("ebay")).Count);
    }

    [Fact]
    public async Task Faults_are_played_in_the_order_scripted_and_only_on_the_operation_named()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("amazon", new { kind = "serverError", operation = "patchListingsItem", count = 2 });
        await sandbox.ScriptFaultAsync("amazon", new { kind = "throttle" });

        using var read = await sandbox.AmazonAsync(HttpMethod.Get, $"/listings/2021-08-01/items/{SandboxHost.SellerId}/MUG?marketplaceIds={SandboxHost.MarketplaceId}");
        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 3; call++)
        {
            using var patch = await sandbox.AmazonPatchAsync("MUG", 1);
            statuses.Add(patch.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, read.StatusCode);
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
        Assert.Empty((JsonArray)await sandbox.ControlAsync("amazon", HttpMethod.Get, "/faults"));
    }

    [Fact]
    public async Task An_invalid_fault_is_refused()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        using var badKind = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/faults", new { kind = "meteor" });
        using var badStatus = await sandbox.ControlResponseAsync("ebay", HttpMethod.Post, "/faults", new { kind = "serverError", statusCode = 404 });

        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    [Fact]
    public async Task Settings_change_the_rate_limit_at_run_time()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var settings = await sandbox.ControlAsync("ebay", HttpMethod.Patch, "/settings",
            new { rateLimits = new Dictionary<string, object> { ["inventory"] = new { perSecond = 1, burst = 1 } } });
        using var unknownLimit = await sandbox.ControlResponseAsync("ebay", HttpMethod.Patch, "/settings",
            new { rateLimits = new Dictionary<string, object> { ["nope"] = new { perSecond = 1, burst = 1 } } });
        using var first = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw");
        using var second = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-2/withdraw");

        Assert.Equal((1.0, 1), ((double)settings["rateLimits"]!["inventory"]!["perSecond"]!, (int)settings["rateLimits"]!["inventory"]!["burst"]!));
        Assert.Equal(HttpStatusCode.BadRequest, unknownLimit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task Latency_set_at_run_time_delays_every_answer_by_that_much_sandbox_time()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var start = sandbox.Clock.GetUtcNow();

        await sandbox.ControlAsync("amazon", HttpMethod.Patch, "/settings", new { latencyMs = 500 });
        var latencyStarted = sandbox.Clock.NextTimerAsync();
        var answer = sandbox.AmazonPatchAsync("MUG", 1);
        // The call now waits out its latency on the sandbox clock (an answer without latency is caught below).
        await Task.WhenAny(latencyStarted, answer);
        sandbox.Clock.Advance(TimeSpan.FromMilliseconds(500));

        using var response = await answer;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answeredAfter = (DateTimeOffset)Assert.Single(await sandbox.LogAsync("amazon"))!["time"]! - start;
        Assert.True(answeredAfter >= TimeSpan.FromMilliseconds(500), $"Applied after {answeredAfter} of sandbox time.");
    }

    [Fact]
    public async Task Reset_forgets_listings_log_and_faults()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", 2)).EnsureSuccessStatusCode();
        await sandbox.ScriptFaultAsync("amazon", new { kind = "timeout" });

        using var reset = await sandbox.ControlResponseAsync("amazon", HttpMethod.Post, "/reset");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty((JsonArray)await sandbox.ControlAsync("amazon", HttpMethod.Get, "/listings"));
        Assert.Empty(await sandbox.LogAsync("amazon"));
        Assert.Empty((JsonArray)await sandbox.ControlAsync("amazon", HttpMethod.Get, "/faults"));
    }

    [Fact]
    public void Invalid_options_stop_the_sandbox_from_starting()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSandbox(options =>
        {
            options.Ebay.BulkUpdateLimit = 0;
            options.Amazon.TimeScale = 0;
        });
        using var app = builder.Build();

        var failure = Assert.Throws<OptionsValidationException>(() => app.MapSandbox());

        Assert.Equal(2, failure.Failures.Count());
    }
}
