using System.Text.Json.Nodes;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>The <c>ebay</c> adapter over real HTTP against the sandbox's Inventory API.</summary>
public sealed class EbayInventoryClientTests : IAsyncLifetime
{
    private EbaySandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await EbaySandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_quantity_change_is_one_bulk_update_of_the_offer_and_its_inventory_item()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 3);

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 7)], default));

        Assert.Equal(new UpdateOutcome("O-1", UpdateResult.Applied), outcome);
        var request = Assert.Single(_sandbox.Recorder.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/sandbox/ebay/sell/inventory/v1/bulk_update_price_quantity", request.Uri.AbsolutePath);
        Assert.Equal("Bearer " + EbaySandboxHost.Token, request.Headers["Authorization"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"requests":[{"sku":"MUG","shipToLocationAvailability":{"quantity":7},"offers":[{"offerId":"O-1","availableQuantity":7}]}]}"""),
            JsonNode.Parse(request.Body)), request.Body);
        var listing = await _sandbox.ListingAsync("O-1");
        Assert.Equal(7, (int)listing["quantity"]!);
        Assert.Equal("active", (string)listing["status"]!);
    }

    [Fact]
    public async Task Offers_of_one_sku_share_a_request_whose_ship_to_home_quantity_is_the_largest_so_each_shows_its_own()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 1);
        await _sandbox.SeedOfferAsync("O-2", "MUG", 1);

        var outcomes = await _sandbox.Inventory().SendAsync([Update("O-1", 3), Update("O-2", 8)], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        var request = JsonNode.Parse(Assert.Single(_sandbox.Recorder.Requests).Body)!["requests"]!.AsArray();
        Assert.Equal(8, (int)Assert.Single(request)!["shipToLocationAvailability"]!["quantity"]!);
        Assert.Equal(3, (int)(await _sandbox.ListingAsync("O-1"))["quantity"]!);
        Assert.Equal(8, (int)(await _sandbox.ListingAsync("O-2"))["quantity"]!);
    }

    [Fact]
    public async Task Out_of_stock_by_rule_end_withdraws_the_offer_and_its_listing_ends()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 2);

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Ended("O-1")], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var request = Assert.Single(_sandbox.Recorder.Requests);
        Assert.Equal("/sandbox/ebay/sell/inventory/v1/offer/O-1/withdraw", request.Uri.AbsolutePath);
        Assert.Equal("", request.Body);
        Assert.Equal("ended", (string)(await _sandbox.ListingAsync("O-1"))["status"]!);
    }

    [Fact]
    public async Task Withdrawing_an_offer_whose_listing_has_ended_already_is_gone()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 0, status: "ended");

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Ended("O-1", known: null)], default));

        Assert.Equal(UpdateResult.Gone, outcome.Result);
        Assert.Contains("25713", outcome.Message);
    }

    [Fact]
    public async Task Out_of_stock_by_rule_zero_sets_quantity_0_and_the_listing_stays_with_out_of_stock_control()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 4, outOfStockControl: true);

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 0, ListingStatus.Inactive)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        Assert.EndsWith("/bulk_update_price_quantity", Assert.Single(_sandbox.Recorder.Requests).Uri.AbsolutePath);
        var listing = await _sandbox.ListingAsync("O-1");
        Assert.Equal(0, (int)listing["quantity"]!);
        Assert.Equal("active", (string)listing["status"]!);
    }

    [Fact]
    public async Task Back_in_stock_after_an_end_sets_the_quantity_then_publishes_under_a_new_listing_id()
    {
        var before = (string)(await _sandbox.SeedOfferAsync("O-1", "MUG", 0, status: "ended"))["listingId"]!;

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync(
            [Update("O-1", 5, known: ListingStatus.Ended)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        Assert.Equal(["/bulk_update_price_quantity", "/offer/O-1/publish/"],
            _sandbox.Recorder.Requests.Select(r => r.Uri.AbsolutePath["/sandbox/ebay/sell/inventory/v1".Length..]));
        var listing = await _sandbox.ListingAsync("O-1");
        Assert.Equal((string)listing["listingId"]!, outcome.CurrentListingId);
        Assert.NotEqual(before, outcome.CurrentListingId);
        Assert.Equal(5, (int)listing["quantity"]!);
        Assert.Equal([outcome.CurrentListingId], listing["activeListingIds"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public async Task An_offer_that_ended_unnoticed_is_published_when_its_revision_comes_back_with_a_warning()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 0, status: "ended");

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 4, known: null)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        Assert.NotNull(outcome.CurrentListingId);
        Assert.Equal("active", (string)(await _sandbox.ListingAsync("O-1"))["status"]!);
    }

    [Fact]
    public async Task A_live_offer_revised_without_warnings_is_not_published()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 2);

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 4, known: null)], default));

        Assert.Equal(new UpdateOutcome("O-1", UpdateResult.Applied), outcome);
        Assert.Single(_sandbox.Recorder.Requests);
    }

    [Fact]
    public async Task Thirty_updates_make_two_bulk_calls_of_25_and_5_entries()
    {
        var batch = Enumerable.Range(1, 30).Select(i => Update($"O-{i}", i, sku: $"SKU-{i}")).ToList();

        var outcomes = await _sandbox.Inventory().SendAsync(batch, default);

        Assert.Equal(batch.Select(u => u.ListingId), outcomes.Select(o => o.ListingId));
        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        Assert.Equal([25, 5], _sandbox.Recorder.Requests.Select(r =>
            JsonNode.Parse(r.Body)!["requests"]!.AsArray().Sum(request => request!["offers"]!.AsArray().Count)));
        Assert.Equal(30, (int)(await _sandbox.ListingAsync("O-30"))["quantity"]!);
    }

    [Fact]
    public async Task A_channel_batch_size_below_25_splits_the_calls_at_it()
    {
        var batch = Enumerable.Range(1, 5).Select(i => Update($"O-{i}", i, sku: $"SKU-{i}")).ToList();

        await _sandbox.Inventory(batchSize: 2).SendAsync(batch, default);

        Assert.Equal(3, _sandbox.Recorder.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_throttled_with_its_Retry_After_and_the_batch_makes_no_further_call()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync(o => o.Ebay.InventoryRateLimit = new() { PerSecond = 1, Burst = 1 });
        await sandbox.SeedOfferAsync("O-1", "MUG", 2);
        await sandbox.SeedOfferAsync("O-2", "CAP", 0, status: "ended");

        var outcomes = await sandbox.Inventory().SendAsync(
            [Ended("O-1"), Update("O-2", 3, sku: "CAP", known: ListingStatus.Ended), Update("O-3", 1, sku: "HAT")], default);

        Assert.Equal(UpdateResult.Applied, outcomes[0].Result);
        Assert.All(outcomes.Skip(1), o =>
        {
            Assert.Equal(UpdateResult.Throttled, o.Result);
            Assert.Equal(TimeSpan.FromSeconds(1), o.RetryAfter);
            Assert.Contains("2001", o.Message);
        });
        Assert.Equal(2, sandbox.Recorder.Requests.Count);
    }

    [Fact]
    public async Task A_server_error_is_a_transient_failure_and_changes_nothing()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 3);
        await _sandbox.FaultAsync(new { kind = "serverError", statusCode = 503 });

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 9)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.Contains("HTTP 503", outcome.Message);
        Assert.Equal(3, (int)(await _sandbox.ListingAsync("O-1"))["quantity"]!);
    }

    [Fact]
    public async Task A_partial_failure_fails_only_the_entries_eBay_failed()
    {
        await _sandbox.FaultAsync(new { kind = "partialFailure", entries = new[] { 1 } });

        var outcomes = await _sandbox.Inventory().SendAsync([Update("O-1", 2, sku: "MUG"), Update("O-2", 2, sku: "CAP")], default);

        Assert.Equal(UpdateResult.Applied, outcomes[0].Result);
        Assert.Equal(UpdateResult.TransientFailure, outcomes[1].Result);
        Assert.Contains("25001", outcomes[1].Message);
    }

    [Fact]
    public async Task A_lost_answer_is_a_transient_failure_of_that_call_only()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 2);
        await _sandbox.FaultAsync(new { kind = "dropResponse", operation = "withdrawOffer" });

        var outcomes = await _sandbox.Inventory().SendAsync([Ended("O-1"), Update("O-2", 4, sku: "CAP")], default);

        Assert.Equal(UpdateResult.TransientFailure, outcomes[0].Result);
        Assert.Equal(UpdateResult.Applied, outcomes[1].Result);
    }

    [Fact]
    public async Task A_permanent_rejection_carries_eBays_message()
    {
        await _sandbox.SeedOfferAsync("O-1", "MUG", 3);

        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 2, sku: "CAP")], default));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Contains("eBay error 25002", outcome.Message);
        Assert.Contains("belongs to SKU MUG", outcome.Message);
    }

    [Fact]
    public async Task A_sku_eBay_cannot_hold_is_rejected_without_a_call()
    {
        var outcome = Assert.Single(await _sandbox.Inventory().SendAsync([Update("O-1", 2, sku: new string('S', 51))], default));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Contains("1 to 50 characters", outcome.Message);
        Assert.Empty(_sandbox.Recorder.Requests);
    }

    [Fact]
    public async Task A_refused_access_token_is_a_transient_failure_and_never_quoted()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync(o => o.Ebay.AccessToken = "the-only-token-accepted");

        var outcome = Assert.Single(await sandbox.Inventory().SendAsync([Update("O-1", 2)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.Contains("1001", outcome.Message);
        Assert.DoesNotContain(EbaySandboxHost.Token, outcome.Message);
    }
}
