using System.Net.Http.Json;
using System.Text.Json;
using InventorySync.Host.Tests.Support;
using static InventorySync.Host.Tests.Support.InventoryHttp;

namespace InventorySync.Host.Tests.Listings;

/// <summary>
/// One node as the embedded default runs it: the sandbox marketplaces served on the node's own port, an eBay and an
/// Amazon channel reaching them over real HTTP through the real adapters.
/// </summary>
public sealed class SandboxEndToEndTests : IAsyncLifetime
{
    private TestNode? _node;

    private HttpClient Http => _node!.Http;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(
            "--Sandbox:Enabled=true",
            "--Channels:ebay:Marketplace=ebay", "--Channels:ebay:BaseUrl=/sandbox/ebay",
            "--Channels:ebay:Credentials:AccessToken=sandbox-ebay-token",
            "--Channels:amazon:Marketplace=amazon", "--Channels:amazon:BaseUrl=/sandbox/amazon",
            "--Channels:amazon:SellerId=A2SANDBOXSELLER", "--Channels:amazon:MarketplaceId=A1F83G8C2ARO7P",
            "--Channels:amazon:Credentials:AccessToken=sandbox-amazon-token");
        await _node.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null) await _node.DisposeAsync();
    }

    private sealed record SandboxListing(string Listing, string ListingId, long Quantity, string Status, string[] ListingIds);

    private Task<SandboxListing> Shows(string marketplace, string listing, Func<SandboxListing, bool> done) =>
        Eventually(async () =>
        {
            using var response = await Http.GetAsync($"/sandbox/{marketplace}/_control/listings/{listing}");
            return response.IsSuccessStatusCode
                ? (await response.Content.ReadFromJsonAsync<SandboxListing>(Json))!
                : new SandboxListing(listing, "", -1, $"HTTP {(int)response.StatusCode}", []);
        }, done, TimeSpan.FromSeconds(20));

    [Fact]
    public async Task A_sale_lowers_both_marketplaces_selling_out_takes_each_out_of_stock_its_way_and_a_receipt_brings_them_back()
    {
        var sku = "E2E-" + Guid.NewGuid().ToString("N")[..8];
        var offer = "offer-" + sku;
        await Http.CountStock(sku, 3);
        (await Http.PutAsync($"/api/v1/skus/{sku}/listings/ebay/{offer}", JsonBody("{}"))).EnsureSuccessStatusCode();
        (await Http.PutAsync($"/api/v1/skus/{sku}/listings/amazon/{sku}", JsonBody("{}"))).EnsureSuccessStatusCode();
        var first = await Shows("ebay", offer, l => l is { Quantity: 3, Status: "active" });
        await Shows("amazon", sku, l => l is { Quantity: 3, Status: "active" });

        await Http.PlaceOrder(Ids.Order(), sku, 1);
        await Shows("ebay", offer, l => l is { Quantity: 2, Status: "active" });
        await Shows("amazon", sku, l => l is { Quantity: 2, Status: "active" });

        await Http.PlaceOrder(Ids.Order(), sku, 2);
        await Shows("ebay", offer, l => l.Status == "ended");
        await Shows("amazon", sku, l => l is { Quantity: 0, Status: "inactive" });
        var soldOut = await Eventually(() => Http.GetSku(sku), s => s.Listings.All(x => x.Synced));
        Assert.Equal(("ended", "inactive"), (soldOut.Listing("ebay", offer).Status, soldOut.Listing("amazon", sku).Status));

        await Http.Adjust(sku, 4);
        var relisted = await Shows("ebay", offer, l => l is { Quantity: 4, Status: "active" });
        Assert.NotEqual(first.ListingId, relisted.ListingId);
        Assert.Equal([first.ListingId, relisted.ListingId], relisted.ListingIds);
        await Shows("amazon", sku, l => l is { Quantity: 4, Status: "active" });
        var back = await Eventually(() => Http.GetSku(sku), s => s.Listings.All(x => x.Synced && x.PublishedQuantity == 4));
        Assert.All(back.Listings, x => Assert.Equal("active", x.Status));

        using var log = JsonDocument.Parse(await Http.GetStringAsync($"/sandbox/ebay/_control/log?listing={offer}"));
        Assert.Equal(["bulkUpdatePriceQuantity", "bulkUpdatePriceQuantity", "withdrawOffer", "bulkUpdatePriceQuantity", "publishOffer"],
            log.RootElement.EnumerateArray().Select(e => e.GetProperty("operation").GetString()));
    }
}
