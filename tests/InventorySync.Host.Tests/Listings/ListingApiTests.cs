using System.Net;
using System.Net.Http.Json;
using InventorySync.Domain.Listings;
using InventorySync.Host.Tests.Support;
using static InventorySync.Host.Tests.Support.InventoryHttp;

namespace InventorySync.Host.Tests.Listings;

[Collection(ChannelNodeCollection.Name)]
public sealed class ListingApiTests(ChannelNodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    private Task<HttpResponseMessage> PutListing(string sku, string channel, string listingId, string json = "{}") =>
        _http.PutAsync($"/api/v1/skus/{sku}/listings/{channel}/{listingId}", JsonBody(json));

    private Task<SkuJson> Synced(string sku, Func<SkuJson, bool> done) =>
        Eventually(() => _http.GetSku(sku), done);

    [Fact]
    public async Task A_mapped_listing_shows_its_defaults_and_converges_to_the_available_quantity_on_its_marketplace()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 7);

        using var put = await PutListing(sku, "ebay", "offer-1");
        var listing = await put.ReadOk<ListingJson>();
        Assert.Equal(("ebay", "offer-1", "offer-1"), (listing.Channel, listing.ListingId, listing.CurrentListingId));
        Assert.Equal(new ListingSettingsJson(100, 0, 0, null, "end"), listing.Settings);
        Assert.Equal(7, listing.DesiredQuantity);

        var view = await Synced(sku, s => s.Listing("ebay", "offer-1").Synced);
        var synced = view.Listing("ebay", "offer-1");
        Assert.Equal(("active", 7L, (string?)null), (synced.Status, synced.PublishedQuantity, synced.LastError));
        Assert.Equal(new RecordingMarketplace.Shown(7, ListingStatus.Active, synced.DesiredVersion),
            node.Marketplace.Showing("ebay", "offer-1"));
    }

    [Fact]
    public async Task A_sale_lowers_every_listing_and_selling_out_takes_each_out_of_stock_its_own_way()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 3);
        (await PutListing(sku, "ebay", "offer-a")).EnsureSuccessStatusCode();
        (await PutListing(sku, "amazon", "SELLER-SKU-A")).EnsureSuccessStatusCode();
        (await PutListing(sku, "shop", "product/17", """{"outOfStock":"zero-backorder"}""")).EnsureSuccessStatusCode();

        await _http.PlaceOrder(Ids.Order(), sku, 1);
        await Synced(sku, s => s.Listings.All(x => x.Synced && x.PublishedQuantity == 2));
        Assert.Equal(2, node.Marketplace.Showing("shop", "product/17")!.Quantity);

        await _http.PlaceOrder(Ids.Order(), sku, 2);
        var soldOut = await Synced(sku, s => s.Listings.All(x => x.Synced && x.PublishedQuantity == 0));
        Assert.Equal("ended", soldOut.Listing("ebay", "offer-a").Status);
        Assert.Equal("inactive", soldOut.Listing("amazon", "SELLER-SKU-A").Status);
        Assert.Equal("backorder", soldOut.Listing("shop", "product/17").Status);

        await _http.Adjust(sku, 4);
        var back = await Synced(sku, s => s.Listings.All(x => x.Synced && x.PublishedQuantity == 4));
        Assert.All(back.Listings, x => Assert.Equal("active", x.Status));
    }

    [Fact]
    public async Task Settings_are_applied_in_the_policy_order_share_buffer_minimum_maximum()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 50);
        using var put = await PutListing(sku, "shop", "p-1",
            """{"percentage":50,"buffer":2,"minQuantity":3,"maxQuantity":20,"outOfStock":"disable"}""");
        var listing = await put.ReadOk<ListingJson>();
        Assert.Equal(20, listing.DesiredQuantity); // 50% of 50 = 25, minus 2 = 23, capped at 20
        Assert.Equal(new ListingSettingsJson(50, 2, 3, 20, "disable"), listing.Settings);

        await _http.CountStock(sku, 10); // 5 − 2 = 3: at the minimum, so 0
        var view = await Synced(sku, s => s.Listing("shop", "p-1").Synced);
        Assert.Equal((0L, "disabled"), (view.Listing("shop", "p-1").DesiredQuantity, view.Listing("shop", "p-1").Status));
    }

    [Theory]
    [InlineData("ebay", """{"percentage":0}""", "percentage must be between 1 and 100 (got 0).")]
    [InlineData("ebay", """{"percentage":101}""", "percentage must be between 1 and 100 (got 101).")]
    [InlineData("ebay", """{"buffer":-1}""", "buffer must not be negative (got -1).")]
    [InlineData("ebay", """{"minQuantity":-2}""", "minQuantity must not be negative (got -2).")]
    [InlineData("ebay", """{"maxQuantity":-3}""", "maxQuantity must not be negative (got -3).")]
    [InlineData("ebay", """{"minQuantity":5,"maxQuantity":3}""",
        "maxQuantity must not be below minQuantity (got maxQuantity 3, minQuantity 5).")]
    [InlineData("amazon", """{"outOfStock":"end"}""", "outOfStock 'end' is not supported by amazon (supported: zero).")]
    [InlineData("ebay", """{"outOfStock":"vanish"}""", "outOfStock must be one of end, zero, disable, zero-backorder (got 'vanish').")]
    [InlineData("etsy", "{}", "Channel 'etsy' is not configured; configured channels: amazon, ebay, shop.")]
    public async Task Bad_settings_are_a_400_problem_and_change_nothing(string channel, string body, string error)
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 5);
        (await PutListing(sku, "ebay", "kept", """{"percentage":40}""")).EnsureSuccessStatusCode();

        using var bad = await PutListing(sku, channel, "kept", body);
        var problem = await bad.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(error, problem.GetProperty("detail").GetString());

        var view = await _http.GetSku(sku);
        var kept = Assert.Single(view.Listings);
        Assert.Equal(("ebay", 40), (kept.Channel, kept.Settings.Percentage));
    }

    [Fact]
    public async Task A_malformed_body_is_a_400_problem_naming_the_field()
    {
        var sku = Ids.Sku();
        using var bad = await PutListing(sku, "ebay", "x", """{"percentage":"fifty"}""");
        var problem = await bad.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(["percentage"], problem.ErrorFields());
        using var unknown = await _http.GetAsync($"/api/v1/skus/{sku}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Unmapping_removes_the_listing_and_is_idempotent()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 5);
        (await PutListing(sku, "ebay", "gone")).EnsureSuccessStatusCode();

        using var first = await _http.DeleteAsync($"/api/v1/skus/{sku}/listings/ebay/gone");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using var again = await _http.DeleteAsync($"/api/v1/skus/{sku}/listings/ebay/gone");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Empty((await _http.GetSku(sku)).Listings);
    }

    [Fact]
    public async Task A_refused_update_shows_as_an_error_with_the_marketplace_message_and_in_the_channel_stats()
    {
        var sku = Ids.Sku();
        node.Marketplace.Refuse("shop", "refused-1", "Product is archived");
        var rejectedBefore = (await Channel("shop")).Rejected;
        await _http.CountStock(sku, 5);
        (await PutListing(sku, "shop", "refused-1")).EnsureSuccessStatusCode();

        var view = await Synced(sku, s => s.Listing("shop", "refused-1").Status == "error");
        Assert.Equal("Product is archived", view.Listing("shop", "refused-1").LastError);
        Assert.True((await Channel("shop")).Rejected > rejectedBefore);
    }

    [Fact]
    public async Task Channels_list_their_stats_and_answer_pause_resume_and_resync()
    {
        using var list = await _http.GetAsync("/api/v1/channels");
        var channels = await list.ReadOk<ChannelsJson>();
        Assert.Equal(["amazon", "ebay", "shop"], channels.Channels.Select(c => c.Channel).Order());
        Assert.Equal("webhook", channels.Channels.Single(c => c.Channel == "shop").Marketplace);

        var sku = Ids.Sku();
        await _http.CountStock(sku, 9);
        using (var paused = await _http.PostAsync("/api/v1/channels/ebay/pause", null))
            Assert.True((await paused.ReadOk<ChannelJson>()).Paused);
        (await PutListing(sku, "ebay", "while-paused")).EnsureSuccessStatusCode();
        var waiting = await Eventually(() => Channel("ebay"), c => c.Queued >= 1 && c.OldestPendingAgeMs > 0);
        Assert.True(waiting.Paused);
        Assert.Null(node.Marketplace.Showing("ebay", "while-paused"));

        using (var resumed = await _http.PostAsync("/api/v1/channels/ebay/resume", null))
            Assert.False((await resumed.ReadOk<ChannelJson>()).Paused);
        await Synced(sku, s => s.Listing("ebay", "while-paused").Synced);

        var sentBefore = node.Marketplace.Sent("ebay", "while-paused").Count();
        using (var resync = await _http.PostAsync("/api/v1/channels/ebay/resync", null))
            await resync.ReadOk<ChannelJson>();
        await Eventually(() => Task.FromResult(node.Marketplace.Sent("ebay", "while-paused").Count()), n => n > sentBefore);
    }

    [Fact]
    public async Task Metrics_show_each_channel_gateways_stats()
    {
        var sku = Ids.Sku();
        await _http.CountStock(sku, 4);
        (await PutListing(sku, "amazon", "metrics-1")).EnsureSuccessStatusCode();
        await Synced(sku, s => s.Listing("amazon", "metrics-1").Synced);

        var metrics = await Eventually(() => _http.GetStringAsync("/metrics"), text =>
            text.Contains("inventorysync_channel_updates{channel=\"amazon\",marketplace=\"amazon\",outcome=\"applied\"} ") &&
            !text.Contains("inventorysync_channel_updates{channel=\"amazon\",marketplace=\"amazon\",outcome=\"applied\"} 0\n"));
        Assert.Contains("inventorysync_channel_queued{channel=\"shop\",marketplace=\"webhook\"} ", metrics);
        Assert.Contains("inventorysync_channel_oldest_pending_age_seconds{channel=\"ebay\",marketplace=\"ebay\"} ", metrics);
    }

    [Fact]
    public async Task An_unknown_channel_is_a_404_problem()
    {
        using var stats = await _http.GetAsync("/api/v1/channels/etsy");
        await stats.AssertProblem(HttpStatusCode.NotFound);
        using var pause = await _http.PostAsync("/api/v1/channels/etsy/pause", null);
        await pause.AssertProblem(HttpStatusCode.NotFound);
    }

    private async Task<ChannelJson> Channel(string id)
    {
        using var response = await _http.GetAsync($"/api/v1/channels/{id}");
        return await response.ReadOk<ChannelJson>();
    }
}
