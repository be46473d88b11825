using System.Text.Json.Nodes;
using System.Xml.Linq;
using InventorySync.Channels.Ebay;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>The <c>ebay-trading</c> adapter over real HTTP against the sandbox's Trading API.</summary>
public sealed class EbayTradingClientTests : IAsyncLifetime
{
    private const string Item = "200000000001";
    private static readonly XNamespace Ns = "urn:ebay:apis:eBLBaseComponents";

    private EbaySandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await EbaySandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_quantity_change_is_ReviseInventoryStatus_of_the_current_item_with_the_Trading_headers()
    {
        await _sandbox.SeedItemAsync("200000000009", 3);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync(
            [Update(Item, 7, currentListingId: "200000000009")], default));

        Assert.Equal(new UpdateOutcome(Item, UpdateResult.Applied), outcome);
        var request = Assert.Single(_sandbox.Recorder.Requests);
        Assert.Equal("/sandbox/ebay/ws/api.dll", request.Uri.AbsolutePath);
        Assert.Equal("ReviseInventoryStatus", request.CallName);
        Assert.Equal("0", request.Headers["X-EBAY-API-SITEID"]);
        Assert.Equal(EbayTradingClient.CompatibilityLevel, request.Headers["X-EBAY-API-COMPATIBILITY-LEVEL"]);
        Assert.Equal(EbaySandboxHost.Token, request.Headers["X-EBAY-API-IAF-TOKEN"]);
        Assert.Equal("text/xml; charset=utf-8", request.Headers["Content-Type"]);
        var status = Assert.Single(XElement.Parse(request.Body).Elements(Ns + "InventoryStatus"));
        Assert.Equal("200000000009", (string?)status.Element(Ns + "ItemID"));
        Assert.Equal("7", (string?)status.Element(Ns + "Quantity"));
        Assert.Equal(7, (int)(await _sandbox.ListingAsync("200000000009"))["quantity"]!);
    }

    [Fact]
    public async Task An_unchanged_quantity_answered_with_warning_21917091_is_applied()
    {
        await _sandbox.SeedItemAsync(Item, 3);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 3)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
    }

    [Fact]
    public async Task Out_of_stock_by_rule_end_ends_the_item_as_not_available()
    {
        await _sandbox.SeedItemAsync(Item, 2);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Ended(Item)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var request = Assert.Single(_sandbox.Recorder.Requests);
        Assert.Equal("EndItems", request.CallName);
        var container = Assert.Single(XElement.Parse(request.Body).Elements(Ns + "EndItemRequestContainer"));
        Assert.Equal("NotAvailable", (string?)container.Element(Ns + "EndingReason"));
        Assert.Equal(Item, (string?)container.Element(Ns + "ItemID"));
        Assert.Equal("ended", (string)(await _sandbox.ListingAsync(Item))["status"]!);
    }

    [Fact]
    public async Task Ending_an_item_that_has_ended_already_is_gone()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Ended(Item, known: null)], default));

        Assert.Equal(UpdateResult.Gone, outcome.Result);
        Assert.Contains("eBay error 1047", outcome.Message);
    }

    [Fact]
    public async Task Quantity_0_by_rule_zero_keeps_the_item_alive_with_out_of_stock_control()
    {
        await _sandbox.SeedItemAsync(Item, 4, outOfStockControl: true);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 0, ListingStatus.Inactive)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var listing = await _sandbox.ListingAsync(Item);
        Assert.Equal(0, (int)listing["quantity"]!);
        Assert.Equal("active", (string)listing["status"]!);
    }

    [Fact]
    public async Task Quantity_0_refused_for_want_of_out_of_stock_control_ends_the_item_and_is_gone()
    {
        await _sandbox.SeedItemAsync(Item, 4);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 0, ListingStatus.Inactive)], default));

        Assert.Equal(UpdateResult.Gone, outcome.Result);
        Assert.Equal(["ReviseInventoryStatus", "EndItems"], _sandbox.Recorder.Requests.Select(r => r.CallName));
        Assert.Equal("ended", (string)(await _sandbox.ListingAsync(Item))["status"]!);
    }

    [Fact]
    public async Task Revising_an_item_that_has_ended_is_gone_so_the_gateway_relists_it()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 5, known: null)], default));

        Assert.Equal(UpdateResult.Gone, outcome.Result);
        Assert.Contains("eBay error 291", outcome.Message);
    }

    [Fact]
    public async Task Back_in_stock_after_an_end_relists_the_item_under_a_new_item_id()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 5, known: ListingStatus.Ended)], default));

        Assert.Equal(UpdateResult.Applied, outcome.Result);
        var request = Assert.Single(_sandbox.Recorder.Requests);
        Assert.Equal("RelistFixedPriceItem", request.CallName);
        var item = XElement.Parse(request.Body).Element(Ns + "Item")!;
        Assert.Equal(Item, (string?)item.Element(Ns + "ItemID"));
        Assert.Equal("5", (string?)item.Element(Ns + "Quantity"));
        Assert.Matches("^[0-9A-F]{32}$", (string?)item.Element(Ns + "UUID"));
        var listing = await _sandbox.ListingAsync(Item);
        Assert.NotEqual(Item, outcome.CurrentListingId);
        Assert.Equal([outcome.CurrentListingId], listing["activeListingIds"]!.AsArray().Select(id => (string?)id));
        Assert.Equal(5, (int)listing["quantity"]!);
    }

    [Fact]
    public async Task A_relist_whose_answer_was_lost_makes_exactly_one_new_listing_when_it_is_sent_again()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");
        await _sandbox.FaultAsync(new { kind = "dropResponse", operation = "RelistFixedPriceItem" });
        var client = _sandbox.Trading();
        var update = Update(Item, 5, known: ListingStatus.Ended);

        var lost = Assert.Single(await client.SendAsync([update], default));
        var retried = Assert.Single(await client.SendAsync([update], default));

        Assert.Equal(UpdateResult.TransientFailure, lost.Result);
        Assert.Equal(UpdateResult.Applied, retried.Result);
        var listing = await _sandbox.ListingAsync(Item);
        Assert.Equal([Item, retried.CurrentListingId], listing["listingIds"]!.AsArray().Select(id => (string?)id));
        Assert.Equal([retried.CurrentListingId], listing["activeListingIds"]!.AsArray().Select(id => (string?)id));
        Assert.Single(await RelistsAsync());
        var uuids = _sandbox.Recorder.Calls("RelistFixedPriceItem")
            .Select(r => (string?)XElement.Parse(r.Body).Element(Ns + "Item")!.Element(Ns + "UUID")).ToList();
        Assert.Equal(2, uuids.Count);
        Assert.Equal(uuids[0], uuids[1]);
    }

    [Fact]
    public async Task A_relist_retried_with_a_newer_quantity_after_a_lost_answer_brings_the_one_new_item_to_it()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");
        await _sandbox.FaultAsync(new { kind = "dropResponse", operation = "RelistFixedPriceItem" });
        var client = _sandbox.Trading();

        await client.SendAsync([Update(Item, 5, known: ListingStatus.Ended, version: 1)], default);
        var retried = Assert.Single(await client.SendAsync([Update(Item, 9, known: ListingStatus.Ended, version: 2)], default));

        Assert.Equal(UpdateResult.Applied, retried.Result);
        var listing = await _sandbox.ListingAsync(Item);
        Assert.Equal(retried.CurrentListingId, (string)listing["listingId"]!);
        Assert.Equal(9, (int)listing["quantity"]!);
        Assert.Single(await RelistsAsync());
    }

    [Fact]
    public async Task A_relisted_item_that_ended_before_its_id_was_learnt_is_relisted_from_that_item_once()
    {
        await _sandbox.SeedItemAsync(Item, 0, status: "ended");
        await _sandbox.FaultAsync(new { kind = "dropResponse", operation = "RelistFixedPriceItem" });
        var client = _sandbox.Trading();
        var update = Update(Item, 5, known: ListingStatus.Ended);
        await client.SendAsync([update], default);
        var unlearnt = (string)(await _sandbox.ListingAsync(Item))["listingId"]!;
        await _sandbox.BuyAsync(unlearnt, 5);

        var retried = Assert.Single(await client.SendAsync([update], default));

        Assert.Equal(UpdateResult.Applied, retried.Result);
        var listing = await _sandbox.ListingAsync(Item);
        Assert.Equal([Item, unlearnt, retried.CurrentListingId], listing["listingIds"]!.AsArray().Select(id => (string?)id));
        Assert.Equal([retried.CurrentListingId], listing["activeListingIds"]!.AsArray().Select(id => (string?)id));
        Assert.Equal([Item, Item, unlearnt], _sandbox.Recorder.Calls("RelistFixedPriceItem")
            .Select(r => (string?)XElement.Parse(r.Body).Element(Ns + "Item")!.Element(Ns + "ItemID")));
        Assert.Equal(2, (await RelistsAsync()).Count);
    }

    [Fact]
    public async Task Six_revisions_make_two_calls_of_4_and_2()
    {
        var batch = Enumerable.Range(1, 6).Select(i => Update($"20000000000{i}", i)).ToList();

        var outcomes = await _sandbox.Trading().SendAsync(batch, default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        Assert.Equal([4, 2], _sandbox.Recorder.Requests.Select(r => XElement.Parse(r.Body).Elements(Ns + "InventoryStatus").Count()));
    }

    [Fact]
    public async Task Eleven_ends_make_two_EndItems_calls_of_10_and_1()
    {
        var batch = Enumerable.Range(10, 11).Select(i => Ended($"2000000000{i}")).ToList();

        var outcomes = await _sandbox.Trading().SendAsync(batch, default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        Assert.Equal([10, 1], _sandbox.Recorder.Requests.Select(r => XElement.Parse(r.Body).Elements(Ns + "EndItemRequestContainer").Count()));
    }

    [Fact]
    public async Task The_call_usage_limit_518_is_throttled_and_the_batch_makes_no_further_call()
    {
        await _sandbox.FaultAsync(new { kind = "throttle" });
        var batch = Enumerable.Range(1, 6).Select(i => Update($"20000000000{i}", i)).ToList();

        var outcomes = await _sandbox.Trading().SendAsync(batch, default);

        Assert.All(outcomes, o =>
        {
            Assert.Equal(UpdateResult.Throttled, o.Result);
            Assert.Null(o.RetryAfter);
            Assert.Contains("eBay error 518", o.Message);
        });
        Assert.Single(_sandbox.Recorder.Requests);
    }

    [Fact]
    public async Task A_server_error_is_a_transient_failure()
    {
        await _sandbox.SeedItemAsync(Item, 3);
        await _sandbox.FaultAsync(new { kind = "serverError" });

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 8)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.Contains("HTTP 500", outcome.Message);
        Assert.Equal(3, (int)(await _sandbox.ListingAsync(Item))["quantity"]!);
    }

    [Fact]
    public async Task A_partial_failure_fails_only_the_item_eBay_failed()
    {
        await _sandbox.FaultAsync(new { kind = "partialFailure", entries = new[] { 0 } });

        var outcomes = await _sandbox.Trading().SendAsync([Update("200000000001", 2), Update("200000000002", 2)], default);

        Assert.Equal(UpdateResult.TransientFailure, outcomes[0].Result);
        Assert.Contains("10007", outcomes[0].Message);
        Assert.Equal(UpdateResult.Applied, outcomes[1].Result);
    }

    [Fact]
    public async Task A_permanent_rejection_carries_eBays_message()
    {
        await _sandbox.SeedItemAsync(Item, 2);

        var outcome = Assert.Single(await _sandbox.Trading().SendAsync([Update(Item, 5, known: ListingStatus.Ended)], default));

        Assert.Equal(UpdateResult.Rejected, outcome.Result);
        Assert.Contains("eBay error 37", outcome.Message);
        Assert.Contains("has not ended", outcome.Message);
    }

    [Fact]
    public async Task A_refused_token_931_is_a_transient_failure_and_never_quoted()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync(o => o.Ebay.AccessToken = "the-only-token-accepted");

        var outcome = Assert.Single(await sandbox.Trading().SendAsync([Update(Item, 2)], default));

        Assert.Equal(UpdateResult.TransientFailure, outcome.Result);
        Assert.Contains("eBay error 931", outcome.Message);
        Assert.DoesNotContain(EbaySandboxHost.Token, outcome.Message);
    }

    private async Task<IReadOnlyList<JsonNode?>> RelistsAsync() =>
        (await _sandbox.LogAsync()).Where(entry => (string?)entry!["operation"] == "RelistFixedPriceItem").ToList();
}
