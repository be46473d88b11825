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
            "--Channels:amazon:Credentials:AccessToken=sandbox-amazon-token",
            // Feed queueing and processing take seconds, not minutes.
            "--Sandbox:Amazon:TimeScale=600");
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

    [Fact]
    public async Task A_backlog_beyond_a_minute_of_PATCHes_reaches_Amazon_as_one_listings_feed()
    {
        const int Skus = 305; // Amazon's 5 PATCHes a second clear 300 listings a minute
        var run = Guid.NewGuid().ToString("N")[..6];
        (await Http.PostAsync("/api/v1/channels/amazon/pause", null)).EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, Skus), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var sku = $"FEED-{run}-{i}";
            await Http.CountStock(sku, i % 7);
            (await Http.PutAsync($"/api/v1/skus/{sku}/listings/amazon/{sku}", JsonBody("{}"))).EnsureSuccessStatusCode();
        });
        await Eventually(async () =>
        {
            using var stats = await Http.GetAsync("/api/v1/channels/amazon");
            return (await stats.ReadOk<ChannelJson>()).Queued;
        }, queued => queued == Skus);

        (await Http.PostAsync("/api/v1/channels/amazon/resume", null)).EnsureSuccessStatusCode();
        await Eventually(async () =>
        {
            using var stats = await Http.GetAsync("/api/v1/channels/amazon");
            return await stats.ReadOk<ChannelJson>();
        }, c => c.Applied >= Skus, TimeSpan.FromSeconds(60));

        using var log = JsonDocument.Parse(await Http.GetStringAsync("/sandbox/amazon/_control/log"));
        var applied = log.RootElement.EnumerateArray().Where(e => e.GetProperty("listing").GetString()!.StartsWith($"FEED-{run}-")).ToList();
        Assert.Equal(Skus, applied.Count);
        Assert.DoesNotContain(applied, e => e.GetProperty("operation").GetString()!.Contains("patch", StringComparison.OrdinalIgnoreCase));
        var shown = await Shows("amazon", $"FEED-{run}-6", l => l.Quantity == 6);
        Assert.Equal("active", shown.Status);
        Assert.Equal("inactive", (await Shows("amazon", $"FEED-{run}-7", l => l.Quantity == 0)).Status);
    }

    [Fact]
    public async Task A_permanent_rejection_shows_on_the_listing_as_its_last_error_and_in_the_channel_stats()
    {
        var sku = "E2E-" + new string('X', 60); // eBay inventory SKUs have at most 50 characters
        await Http.CountStock(sku, 2);
        (await Http.PutAsync($"/api/v1/skus/{sku}/listings/ebay/offer-long", JsonBody("{}"))).EnsureSuccessStatusCode();

        var view = await Eventually(() => Http.GetSku(sku), s => s.Listing("ebay", "offer-long").Status == "error");
        Assert.Equal("An eBay inventory item's SKU has 1 to 50 characters; this listing's SKU has 64.",
            view.Listing("ebay", "offer-long").LastError);
        using var stats = await Http.GetAsync("/api/v1/channels/ebay");
        Assert.Equal(1, (await stats.ReadOk<ChannelJson>()).Rejected);
    }
}
