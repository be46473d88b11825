using System.Net;
using InventorySync.Sandbox.Tests.Support;

namespace InventorySync.Sandbox.Tests;

public sealed class EbayTradingApiTests
{
    private const string Uuid = "9CEBD9A6825644EC8D06C436D6CF494B";

    [Fact]
    public async Task ReviseInventoryStatus_with_more_than_4_listings_is_refused_with_21916254_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var answer = await sandbox.TradingAsync("ReviseInventoryStatus", string.Concat(
            Enumerable.Range(1, 5).Select(i => $"<InventoryStatus><ItemID>11000000000{i}</ItemID><Quantity>3</Quantity></InventoryStatus>")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("Failure", answer.Ack);
        Assert.Equal(["21916254"], answer.ErrorCodes);
        Assert.Empty(await sandbox.LogAsync("ebay"));
    }

    [Fact]
    public async Task ReviseInventoryStatus_answers_each_listing_and_refuses_quantity_0_without_out_of_stock_control()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/listings", new { itemId = "200", quantity = 5, outOfStockControl = true });

        var answer = await sandbox.TradingAsync("ReviseInventoryStatus",
            "<InventoryStatus><ItemID>100</ItemID><Quantity>0</Quantity></InventoryStatus>"
            + "<InventoryStatus><ItemID>200</ItemID><SKU>MUG</SKU><Quantity>0</Quantity></InventoryStatus>");

        Assert.Equal("PartialFailure", answer.Ack);
        Assert.Equal(["21916583"], answer.ErrorCodes);
        var revised = Assert.Single(answer.Root.Elements(TradingAnswer.Ns + "InventoryStatus"));
        Assert.Equal(("200", "0"), (TradingAnswer.Value(revised, "ItemID"), TradingAnswer.Value(revised, "Quantity")));
        var kept = await sandbox.ListingAsync("ebay", "200");
        Assert.Equal(("active", 0), ((string?)kept["status"], (int)kept["quantity"]!));
    }

    [Fact]
    public async Task An_unchanged_quantity_is_applied_with_warning_21917091()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        const string revision = "<InventoryStatus><ItemID>100</ItemID><Quantity>3</Quantity></InventoryStatus>";
        await sandbox.TradingAsync("ReviseInventoryStatus", revision);

        var again = await sandbox.TradingAsync("ReviseInventoryStatus", revision);

        Assert.Equal("Warning", again.Ack);
        Assert.Equal(["21917091"], again.ErrorCodes);
        Assert.Equal(2, (await sandbox.LogAsync("ebay", "100")).Count);
    }

    [Fact]
    public async Task EndItems_with_more_than_10_listings_is_refused_and_ends_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var answer = await sandbox.TradingAsync("EndItems", string.Concat(Enumerable.Range(1, 11).Select(i =>
            $"<EndItemRequestContainer><MessageID>{i}</MessageID><ItemID>{100 + i}</ItemID><EndingReason>NotAvailable</EndingReason></EndItemRequestContainer>")));

        Assert.Equal("Failure", answer.Ack);
        Assert.Equal(["37"], answer.ErrorCodes);
        Assert.Empty(await sandbox.LogAsync("ebay"));
    }

    [Fact]
    public async Task EndItems_ends_each_listing_and_answers_per_container_by_message_id()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        const string endFirst =
            "<EndItemRequestContainer><MessageID>1</MessageID><ItemID>100</ItemID><EndingReason>NotAvailable</EndingReason></EndItemRequestContainer>";
        const string endSecond =
            "<EndItemRequestContainer><MessageID>2</MessageID><ItemID>200</ItemID><EndingReason>NotAvailable</EndingReason></EndItemRequestContainer>";
        await sandbox.TradingAsync("EndItems", endFirst);

        var answer = await sandbox.TradingAsync("EndItems", endFirst + endSecond);

        Assert.Equal("PartialFailure", answer.Ack);
        var containers = answer.Root.Elements(TradingAnswer.Ns + "EndItemResponseContainer").ToList();
        Assert.Equal(["1", "2"], containers.Select(container => TradingAnswer.Value(container, "CorrelationID")));
        Assert.Equal(["1047"], containers[0].Descendants(TradingAnswer.Ns + "ErrorCode").Select(code => code.Value));
        Assert.NotNull(containers[1].Element(TradingAnswer.Ns + "EndTime"));
        Assert.Equal("ended", (string?)(await sandbox.ListingAsync("ebay", "200"))["status"]);
    }

    [Fact]
    public async Task Each_relist_gives_a_new_item_id_so_a_blind_retry_without_a_UUID_duplicates_the_listing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/listings", new { itemId = "100", quantity = 3, status = "ended" });
        const string relist = "<Item><ItemID>100</ItemID><Quantity>4</Quantity></Item>";

        var first = await sandbox.TradingAsync("RelistFixedPriceItem", relist);
        var second = await sandbox.TradingAsync("RelistFixedPriceItem", relist);

        Assert.Equal(("Success", "Success"), (first.Ack, second.Ack));
        var firstId = TradingAnswer.Value(first.Root, "ItemID");
        var secondId = TradingAnswer.Value(second.Root, "ItemID");
        Assert.NotEqual("100", firstId);
        Assert.NotEqual(firstId, secondId);
        var listing = await sandbox.ListingAsync("ebay", "100");
        Assert.Equal([firstId, secondId], listing["activeListingIds"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public async Task A_relist_retried_with_the_same_UUID_after_a_lost_response_answers_488_with_the_item_already_created()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ControlAsync("ebay", HttpMethod.Post, "/listings", new { itemId = "100", quantity = 3, status = "ended" });
        await sandbox.ScriptFaultAsync("ebay", new { kind = "dropResponse", operation = "RelistFixedPriceItem" });
        var relist = $"<Item><ItemID>100</ItemID><Quantity>4</Quantity><UUID>{Uuid}</UUID></Item>";

        await Assert.ThrowsAsync<HttpRequestException>(() => sandbox.TradingAsync("RelistFixedPriceItem", relist));
        var retry = await sandbox.TradingAsync("RelistFixedPriceItem", relist);

        Assert.Equal("Failure", retry.Ack);
        Assert.Equal(["488"], retry.ErrorCodes);
        var listing = await sandbox.ListingAsync("ebay", "100");
        var created = Assert.Single(listing["activeListingIds"]!.AsArray());
        var parameters = retry.Root.Descendants(TradingAnswer.Ns + "ErrorParameters").Select(parameter => TradingAnswer.Value(parameter, "Value"));
        Assert.Contains((string?)created, parameters);
        var duplicate = retry.Root.Element(TradingAnswer.Ns + "DuplicateInvocationDetails")!;
        Assert.Equal((string?)created, TradingAnswer.Value(duplicate, "InvocationTrackingID"));
        Assert.Equal(4, (int)listing["quantity"]!);
    }

    [Fact]
    public async Task Relisting_a_listing_that_has_not_ended_is_refused()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var answer = await sandbox.TradingAsync("RelistFixedPriceItem", "<Item><ItemID>100</ItemID><Quantity>4</Quantity></Item>");

        Assert.Equal("Failure", answer.Ack);
        Assert.Equal(["37"], answer.ErrorCodes);
        Assert.Empty(await sandbox.LogAsync("ebay"));
    }

    [Fact]
    public async Task A_call_without_a_token_fails_with_931_and_a_token_in_RequesterCredentials_is_accepted()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        var refused = await sandbox.TradingAsync("ReviseInventoryStatus", "<InventoryStatus><ItemID>100</ItemID><Quantity>3</Quantity></InventoryStatus>", token: null);
        var accepted = await sandbox.TradingAsync("ReviseInventoryStatus",
            "<RequesterCredentials><eBayAuthToken>token</eBayAuthToken></RequesterCredentials><InventoryStatus><ItemID>100</ItemID><Quantity>3</Quantity></InventoryStatus>",
            token: null);

        Assert.Equal(["931"], refused.ErrorCodes);
        Assert.Equal("Success", accepted.Ack);
    }

    [Fact]
    public async Task Past_the_call_limit_the_Trading_API_answers_error_518()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Ebay.TradingRateLimit = new RateLimitOptions { PerSecond = 1, Burst = 1 });
        const string revision = "<InventoryStatus><ItemID>100</ItemID><Quantity>3</Quantity></InventoryStatus>";

        var first = await sandbox.TradingAsync("ReviseInventoryStatus", revision);
        var second = await sandbox.TradingAsync("ReviseInventoryStatus", revision);

        Assert.Equal("Success", first.Ack);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(["518"], second.ErrorCodes);
    }

    [Fact]
    public async Task A_partial_failure_fails_the_scripted_containers_with_a_system_error()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "partialFailure", operation = "ReviseInventoryStatus" });

        var answer = await sandbox.TradingAsync("ReviseInventoryStatus",
            "<InventoryStatus><ItemID>100</ItemID><Quantity>3</Quantity></InventoryStatus>"
            + "<InventoryStatus><ItemID>200</ItemID><Quantity>3</Quantity></InventoryStatus>");

        Assert.Equal("PartialFailure", answer.Ack);
        Assert.Equal(["10007"], answer.ErrorCodes);
        Assert.Equal("SystemError", answer.Root.Descendants(TradingAnswer.Ns + "ErrorClassification").Single().Value);
        Assert.Equal(["100"], (await sandbox.LogAsync("ebay")).Select(entry => (string?)entry!["listing"]));
    }
}
