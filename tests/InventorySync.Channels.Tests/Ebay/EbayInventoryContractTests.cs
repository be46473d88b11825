using System.Text.Json.Nodes;
using InventorySync.Domain.Listings;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>Every request the <c>ebay</c> adapter sends holds to eBay's official Sell Inventory API contract.</summary>
public sealed class EbayInventoryContractTests
{
    private static readonly JsonNode BulkUpdateSchema = JsonNode.Parse("""{"$ref":"#/components/schemas/BulkPriceQuantity"}""")!;

    [Fact]
    public void The_contract_check_refuses_undeclared_fields_wrong_types_and_what_the_contract_states_in_words()
    {
        var body = JsonNode.Parse("""
            {"requests":[
              {"sku":"MUG","shipToLocationAvailability":{"quantity":"7"},"offers":[{"offerId":"O-1","availableQuantity":7,"listingId":"1"}]},
              {"shipToLocationAvailability":{"quantity":2147483648},"offers":[{"availableQuantity":1},{"offerId":"O-3"}]}
            ],"marketplaceId":"EBAY_US"}
            """);
        var request = new EbayRequest(HttpMethod.Post, new Uri("http://ebay.test/root/sell/inventory/v1/bulk_update_price_quantity"),
            new Dictionary<string, string> { ["Content-Type"] = "application/json" }, body!.ToJsonString());

        var problems = EbayInventoryContract.Problems(request, new Uri("http://ebay.test/root"));

        Assert.Contains(problems, p => p.Contains("marketplaceId"));
        Assert.Contains(problems, p => p.Contains("listingId"));
        Assert.Contains(problems, p => p.Contains("/requests/0/shipToLocationAvailability/quantity"));
        Assert.Contains(problems, p => p.Contains("/requests/1/shipToLocationAvailability/quantity"));
        Assert.Contains("a sku is required with shipToLocationAvailability.", problems);
        Assert.Contains("each offer needs its offerId.", problems);
        Assert.Contains("each offer needs availableQuantity or price.", problems);
        Assert.Contains("an OAuth bearer token is required.", problems);
        Assert.Empty(EbayInventoryContract.BodyProblems(BulkUpdateSchema, JsonNode.Parse(
            """{"requests":[{"sku":"MUG","shipToLocationAvailability":{"quantity":7},"offers":[{"offerId":"O-1","availableQuantity":7}]}]}""")));
    }

    [Fact]
    public void The_contract_check_refuses_paths_and_methods_the_contract_lacks_and_bodies_where_none_is_taken()
    {
        var root = new Uri("http://ebay.test/");
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer t" };

        Assert.NotEmpty(EbayInventoryContract.Problems(new EbayRequest(HttpMethod.Post, new Uri(root, "sell/inventory/v1/offer/O-1/publish"), headers, ""), root));
        Assert.NotEmpty(EbayInventoryContract.Problems(new EbayRequest(HttpMethod.Put, new Uri(root, "sell/inventory/v1/offer/O-1/withdraw"), headers, ""), root));
        Assert.NotEmpty(EbayInventoryContract.Problems(new EbayRequest(HttpMethod.Post, new Uri(root, "sell/inventory/v1/offer/O-1/withdraw"), headers, "{}"), root));
        Assert.Empty(EbayInventoryContract.Problems(new EbayRequest(HttpMethod.Post, new Uri(root, "sell/inventory/v1/offer/O-1/withdraw"), headers, ""), root));
    }

    [Fact]
    public async Task Every_request_of_every_kind_the_adapter_sends_is_valid_against_the_contract()
    {
        await using var sandbox = await EbaySandboxHost.StartAsync();
        await sandbox.SeedOfferAsync("O-END", "HAT", 3);
        await sandbox.SeedOfferAsync("O-BACK", "CAP", 0, status: "ended");
        await sandbox.SeedOfferAsync("O-ZERO", "SCARF", 2, outOfStockControl: true);
        var batch = Enumerable.Range(1, 27).Select(i => Update($"O-{i}", 1 + i % 4, sku: i % 3 == 0 ? "MUG" : $"SKU-{i}"))
            .Append(Ended("O-END", sku: "HAT"))
            .Append(Update("O-BACK", 6, sku: "CAP", known: ListingStatus.Ended))
            .Append(Update("O-ZERO", 0, ListingStatus.Inactive, sku: "SCARF"))
            .ToList();

        var outcomes = await sandbox.Inventory().SendAsync(batch, default);

        Assert.All(outcomes, o => Assert.Equal(Domain.Channels.UpdateResult.Applied, o.Result));
        var requests = sandbox.Recorder.Requests;
        Assert.Equal(["withdraw", "bulk_update_price_quantity", "bulk_update_price_quantity", "publish"],
            requests.Select(r => r.Uri.AbsolutePath.TrimEnd('/').Split('/')[^1]));
        Assert.All(requests, request => Assert.True(
            EbayInventoryContract.Problems(request, sandbox.BaseUrl) is var problems && problems.Count == 0,
            $"{request.Method} {request.Uri.AbsolutePath}: {string.Join("; ", EbayInventoryContract.Problems(request, sandbox.BaseUrl))}\n{request.Body}"));
    }
}
