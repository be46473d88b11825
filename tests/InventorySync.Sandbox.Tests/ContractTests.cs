using System.Net;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Tests.Support;
using Json.Schema;

namespace InventorySync.Sandbox.Tests;

/// <summary>The sandbox's answers hold to the marketplaces' official contracts (the copies under Specs/).</summary>
public sealed class ContractTests
{
    [Fact]
    public void The_contract_check_refuses_undeclared_fields_missing_required_fields_wrong_types_and_values_off_the_enum()
    {
        var schema = Contract.Amazon.Schema("ListingsItemSubmissionResponse");

        var problems = Contract.Amazon.Problems(
            JsonNode.Parse("""{"sku":"MUG","status":"DONE","issues":[{"code":1,"message":"m","severity":"ERROR","categories":[]}],"extra":true}"""),
            schema);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, problem => problem.Contains("submissionId is required"));
        Assert.Contains(problems, problem => problem.Contains("\"DONE\" is not one of"));
        Assert.Contains(problems, problem => problem.Contains("code is Number, the contract says string"));
        Assert.Contains(problems, problem => problem.Contains("extra is not in the contract"));
    }

    [Fact]
    public async Task Ebay_bulk_update_answer_is_valid_against_the_Inventory_API_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        using var response = await sandbox.BulkUpdateAsync(
            new { sku = "MUG", shipToLocationAvailability = new { quantity = 7 }, offers = new[] { new { offerId = "O-1", availableQuantity = 5 } } },
            new { sku = "CAP", shipToLocationAvailability = new { quantity = 2 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SandboxHost.Json(response);
        Contract.Ebay.AssertValid(body, Contract.Ebay.ResponseSchema("/bulk_update_price_quantity", "post", 200));
        Assert.Equal(["O-1", null], body["responses"]!.AsArray().Select(entry => (string?)entry!["offerId"]));
    }

    [Fact]
    public async Task Ebay_per_entry_errors_of_a_multi_status_answer_are_valid_against_the_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await sandbox.ScriptFaultAsync("ebay", new { kind = "partialFailure", entries = new[] { 0 } });

        using var response = await sandbox.BulkUpdateAsync(
            new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 5 } } },
            new { sku = "CAP", offers = new[] { new { offerId = "O-2", availableQuantity = -1 } } });

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var body = await SandboxHost.Json(response);
        Contract.Ebay.AssertValid(body, Contract.Ebay.ResponseSchema("/bulk_update_price_quantity", "post", 200));
        Assert.Equal([500, 400], body["responses"]!.AsArray().Select(entry => (int)entry!["statusCode"]!));
    }

    [Fact]
    public async Task Ebay_withdraw_publish_and_get_offer_answers_are_valid_against_the_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.BulkUpdateAsync(new { sku = "MUG", offers = new[] { new { offerId = "O-1", availableQuantity = 3 } } })).EnsureSuccessStatusCode();

        using var withdrawn = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/withdraw");
        Contract.Ebay.AssertValid(await SandboxHost.Json(withdrawn), Contract.Ebay.ResponseSchema("/offer/{offerId}/withdraw", "post", 200));
        using var published = await sandbox.EbayAsync(HttpMethod.Post, "/offer/O-1/publish/");
        Contract.Ebay.AssertValid(await SandboxHost.Json(published), Contract.Ebay.ResponseSchema("/offer/{offerId}/publish/", "post", 200));
        using var offer = await sandbox.EbayAsync(HttpMethod.Get, "/offer/O-1");
        Contract.Ebay.AssertValid(await SandboxHost.Json(offer), Contract.Ebay.ResponseSchema("/offer/{offerId}", "get", 200));
    }

    [Fact]
    public async Task Ebay_error_bodies_hold_errors_valid_against_the_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var entries = Enumerable.Range(1, 26).Select(i => new { sku = $"SKU-{i}", shipToLocationAvailability = new { quantity = 1 } }).ToArray();

        using var oversized = await sandbox.BulkUpdateAsync(entries);
        using var unauthorized = await sandbox.EbayAsync(HttpMethod.Get, "/offer/O-1", token: null);
        using var unknown = await sandbox.EbayAsync(HttpMethod.Get, "/offer/NONE");

        foreach (var response in new[] { oversized, unauthorized, unknown })
        {
            var errors = (await SandboxHost.Json(response))["errors"]!.AsArray();
            Assert.NotEmpty(errors); // an error body with no error would pass the loop below unchecked
            foreach (var error in errors)
            {
                Contract.Ebay.AssertValid(error, Contract.Ebay.Schema("Error"));
            }
        }
    }

    [Fact]
    public async Task Amazon_patch_answers_are_valid_against_the_Listings_Items_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var schema = Contract.Amazon.ResponseSchema("/listings/2021-08-01/items/{sellerId}/{sku}", "patch", 200);

        using var accepted = await sandbox.AmazonPatchAsync("MUG", 4);
        using var invalid = await sandbox.AmazonPatchAsync("MUG", -4);

        var acceptedBody = await SandboxHost.Json(accepted);
        Contract.Amazon.AssertValid(acceptedBody, schema);
        Assert.Equal("ACCEPTED", (string?)acceptedBody["status"]);
        var invalidBody = await SandboxHost.Json(invalid);
        Contract.Amazon.AssertValid(invalidBody, schema);
        Assert.Equal("INVALID", (string?)invalidBody["status"]);
        Assert.NotEmpty(invalidBody["issues"]!.AsArray());
    }

    [Fact]
    public async Task Amazon_get_listings_item_answer_is_valid_against_the_contract()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", 4)).EnsureSuccessStatusCode();

        using var response = await sandbox.AmazonAsync(HttpMethod.Get,
            $"/listings/2021-08-01/items/{SandboxHost.SellerId}/MUG?marketplaceIds={SandboxHost.MarketplaceId}&includedData=summaries,attributes,issues,fulfillmentAvailability");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Contract.Amazon.AssertValid(await SandboxHost.Json(response), Contract.Amazon.ResponseSchema("/listings/2021-08-01/items/{sellerId}/{sku}", "get", 200));
    }

    [Fact]
    public async Task Amazon_error_answers_are_valid_error_lists()
    {
        await using var sandbox = await SandboxHost.StartAsync(options => options.Amazon.ListingsRateLimit = new RateLimitOptions { PerSecond = 1, Burst = 1 });
        const string path = "/listings/2021-08-01/items/{sellerId}/{sku}";

        using var forbidden = await sandbox.AmazonPatchAsync("MUG", 1, token: null);
        using var accepted = await sandbox.AmazonPatchAsync("MUG", 1);
        using var throttled = await sandbox.AmazonPatchAsync("MUG", 1);
        using var badRequest = await sandbox.AmazonPatchAsync("MUG", new { productType = "PRODUCT" });

        Contract.Amazon.AssertValid(await SandboxHost.Json(forbidden), Contract.Amazon.ResponseSchema(path, "patch", 403));
        Contract.Amazon.AssertValid(await SandboxHost.Json(throttled), Contract.Amazon.ResponseSchema(path, "patch", 429));
        Contract.Amazon.AssertValid(await SandboxHost.Json(badRequest), Contract.Amazon.ResponseSchema(path, "patch", 400));
    }

    [Fact]
    public async Task Feed_messages_the_sandbox_applies_are_valid_against_the_listings_feed_schema_and_those_it_refuses_are_not()
    {
        var schema = JsonSchema.FromFile(Contract.SpecPath("amazon/listings-feed-schema-v2.json"));
        await using var sandbox = await SandboxHost.StartAsync(options => options.Amazon.FeedQueueTime = options.Amazon.FeedProcessingTime = TimeSpan.Zero);
        JsonObject[] valid =
        [
            Feeds.PatchMessage(1, "MUG", 3),
            new() { ["messageId"] = 2, ["sku"] = "CAP", ["operationType"] = "PARTIAL_UPDATE", ["productType"] = "PRODUCT",
                ["attributes"] = new JsonObject { ["fulfillment_availability"] = new JsonArray(new JsonObject { ["fulfillment_channel_code"] = "DEFAULT", ["quantity"] = 2 }) } },
        ];
        JsonObject[] invalid =
        [
            new() { ["messageId"] = 3, ["sku"] = "HAT", ["operationType"] = "PATCH", ["patches"] = Feeds.AvailabilityPatches(1) },
            new() { ["messageId"] = 4, ["sku"] = "HAT", ["operationType"] = "UPSERT", ["productType"] = "PRODUCT" },
            new() { ["messageId"] = 0, ["sku"] = "HAT", ["operationType"] = "PATCH", ["productType"] = "PRODUCT", ["patches"] = Feeds.AvailabilityPatches(1) },
        ];

        var report = await Feeds.RunAsync(sandbox, [.. valid, .. invalid]);

        Assert.All(valid, message => Assert.True(schema.Evaluate(Feeds.Document(message)).IsValid, message.ToJsonString()));
        Assert.All(invalid, message => Assert.False(schema.Evaluate(Feeds.Document(message)).IsValid, message.ToJsonString()));
        Assert.Equal(2, (int)report["summary"]!["messagesAccepted"]!);
        Assert.Equal(3, (int)report["summary"]!["messagesInvalid"]!);
    }
}
