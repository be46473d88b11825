using System.Net;
using System.Text.Json.Nodes;
using InventorySync.Sandbox.Tests.Support;

namespace InventorySync.Sandbox.Tests;

public sealed class AmazonListingsApiTests
{
    [Fact]
    public async Task Quantity_0_makes_the_offer_inactive_and_a_positive_quantity_reactivates_it()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        (await sandbox.AmazonPatchAsync("MUG", 0)).EnsureSuccessStatusCode();
        var inactive = await ItemAsync(sandbox, "MUG");
        (await sandbox.AmazonPatchAsync("MUG", 6)).EnsureSuccessStatusCode();
        var active = await ItemAsync(sandbox, "MUG");

        Assert.Empty(inactive["summaries"]![0]!["status"]!.AsArray());
        Assert.Equal(["BUYABLE", "DISCOVERABLE"], active["summaries"]![0]!["status"]!.AsArray().Select(status => (string?)status));
        Assert.Equal(6, (int)active["fulfillmentAvailability"]![0]!["quantity"]!);
        Assert.Equal(["inactive", "active"], (await sandbox.LogAsync("amazon", "MUG")).Select(entry => (string?)entry!["status"]));
    }

    [Fact]
    public async Task A_merge_keeps_the_handling_time_and_a_replace_drops_it()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", Availability("merge", new JsonObject { ["quantity"] = 5, ["lead_time_to_ship_max_days"] = 3 }))).EnsureSuccessStatusCode();

        (await sandbox.AmazonPatchAsync("MUG", 4, op: "merge")).EnsureSuccessStatusCode();
        var merged = (await ItemAsync(sandbox, "MUG"))["attributes"]!["fulfillment_availability"]![0]!;
        (await sandbox.AmazonPatchAsync("MUG", 2, op: "replace")).EnsureSuccessStatusCode();
        var replaced = (await ItemAsync(sandbox, "MUG"))["attributes"]!["fulfillment_availability"]![0]!;

        Assert.Equal((4, 3), ((int)merged["quantity"]!, (int)merged["lead_time_to_ship_max_days"]!));
        Assert.Equal(2, (int)replaced["quantity"]!);
        Assert.Null(replaced["lead_time_to_ship_max_days"]);
    }

    [Fact]
    public async Task Past_the_burst_calls_get_429_QuotaExceeded_without_Retry_After_and_successes_carry_the_rate_limit()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var answers = new List<HttpResponseMessage>();
        for (var call = 0; call < 6; call++)
        {
            answers.Add(await sandbox.AmazonPatchAsync("MUG", call));
        }

        Assert.All(answers[..5], answer => Assert.Equal("5.0", answer.Headers.GetValues("x-amzn-RateLimit-Limit").Single()));
        var throttled = answers[5];
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Null(throttled.Headers.RetryAfter);
        Assert.False(throttled.Headers.Contains("x-amzn-RateLimit-Limit"));
        Assert.True(throttled.Headers.Contains("x-amzn-RequestId"));
        Assert.Equal(
            """{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}""",
            await throttled.Content.ReadAsStringAsync());
        Assert.Equal(5, (await sandbox.LogAsync("amazon")).Count);
        answers.ForEach(answer => answer.Dispose());
    }

    [Fact]
    public async Task A_call_without_an_access_token_is_denied_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        using var denied = await sandbox.AmazonPatchAsync("MUG", 3, token: null);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Unauthorized", (string?)(await SandboxHost.Json(denied))["errors"]![0]!["code"]);
        Assert.Empty(await sandbox.LogAsync("amazon"));
    }

    [Fact]
    public async Task A_validation_preview_answers_VALID_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", 2)).EnsureSuccessStatusCode();

        using var preview = await sandbox.AmazonPatchAsync("MUG", Availability("replace", new JsonObject { ["quantity"] = 9 }), "&mode=VALIDATION_PREVIEW");

        Assert.Equal("VALID", (string?)(await SandboxHost.Json(preview))["status"]);
        Assert.Equal(2, (int)(await sandbox.ListingAsync("amazon", "MUG"))["quantity"]!);
    }

    [Fact]
    public async Task An_invalid_availability_is_INVALID_with_the_issue_and_changes_nothing()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        (await sandbox.AmazonPatchAsync("MUG", 2)).EnsureSuccessStatusCode();

        using var missingQuantity = await sandbox.AmazonPatchAsync("MUG", Availability("replace", new JsonObject { ["lead_time_to_ship_max_days"] = 2 }));

        var answer = await SandboxHost.Json(missingQuantity);
        Assert.Equal("INVALID", (string?)answer["status"]);
        Assert.Equal("90220", (string?)answer["issues"]![0]!["code"]);
        Assert.Equal(2, (int)(await sandbox.ListingAsync("amazon", "MUG"))["quantity"]!);
    }

    [Fact]
    public async Task A_sku_holding_a_slash_is_one_listing()
    {
        await using var sandbox = await SandboxHost.StartAsync();

        using var patched = await sandbox.AmazonPatchAsync("MUG/RED", 3);

        Assert.Equal("MUG/RED", (string?)(await SandboxHost.Json(patched))["sku"]);
        Assert.Equal(3, (int)(await sandbox.ListingAsync("amazon", "MUG/RED"))["quantity"]!);
    }

    private static object Availability(string op, JsonObject entry)
    {
        entry["fulfillment_channel_code"] = "DEFAULT";
        return new JsonObject
        {
            ["productType"] = "PRODUCT",
            ["patches"] = new JsonArray(new JsonObject
            {
                ["op"] = op,
                ["path"] = "/attributes/fulfillment_availability",
                ["value"] = new JsonArray(entry),
            }),
        };
    }

    private static async Task<JsonNode> ItemAsync(SandboxHost sandbox, string sku)
    {
        using var response = await sandbox.AmazonAsync(HttpMethod.Get,
            $"/listings/2021-08-01/items/{SandboxHost.SellerId}/{sku}?marketplaceIds={SandboxHost.MarketplaceId}&includedData=summaries,attributes,fulfillmentAvailability");
        response.EnsureSuccessStatusCode();
        return await SandboxHost.Json(response);
    }
}
