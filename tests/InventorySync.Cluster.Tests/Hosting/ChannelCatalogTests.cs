using InventorySync.Cluster.Hosting;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Tests.Hosting;

public sealed class ChannelCatalogTests
{
    private static IReadOnlyList<InventorySync.Domain.Channels.ChannelDefinition> Resolve(params (string Id, ChannelSettings Settings)[] channels) =>
        ChannelCatalog.Resolve(channels.ToDictionary(c => c.Id, c => c.Settings));

    [Fact]
    public void Unset_values_take_the_marketplace_defaults()
    {
        var ebay = Assert.Single(Resolve(("ebay-uk", new ChannelSettings { Marketplace = "ebay", BaseUrl = "https://api.ebay.com" })));
        Assert.Equal((MarketplaceKind.Ebay, 25, 10.0, 10, OutOfStockRule.End), (ebay.Marketplace, ebay.BatchSize, ebay.RatePerSecond, ebay.Burst, ebay.OutOfStock));
        Assert.Equal(new Uri("https://api.ebay.com"), ebay.BaseUrl);
        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)),
            (ebay.BatchLinger, ebay.CallTimeout, ebay.LandingGrace));
    }

    [Fact]
    public void Configured_values_win_and_account_ids_travel_with_the_credentials()
    {
        var amazon = Assert.Single(Resolve(("amazon-eu", new ChannelSettings
        {
            Marketplace = "Amazon", BaseUrl = "/sandbox/amazon", SellerId = "A1SELLER", MarketplaceId = "A1F83G8C2ARO7P",
            Credentials = { ["AccessToken"] = "t" }, RateLimit = { PerSecond = 4, Burst = 2 }, BatchLingerMs = 0,
        })));
        Assert.Equal((4.0, 2, TimeSpan.Zero), (amazon.RatePerSecond, amazon.Burst, amazon.BatchLinger));
        Assert.False(amazon.BaseUrl!.IsAbsoluteUri);
        Assert.Equal(("A1SELLER", "A1F83G8C2ARO7P", "t"),
            (amazon.Credentials["SellerId"], amazon.Credentials["marketplaceid"], amazon.Credentials["AccessToken"]));
    }

    [Fact]
    public void Every_configuration_error_is_reported_at_once_naming_its_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(
            ("etsy", new ChannelSettings { Marketplace = "etsy" }),
            ("ebay", new ChannelSettings { Marketplace = "ebay", BatchSize = 26, OutOfStock = "disable", BaseUrl = "api.ebay.com" }),
            ("shop", new ChannelSettings { Marketplace = "webhook", RateLimit = { PerSecond = 0, Burst = 0 }, OutOfStock = "vanish" }),
            ("bad id", new ChannelSettings { Marketplace = "webhook" })));
        Assert.Contains("Channels:etsy:Marketplace 'etsy' is not one of ebay, ebay-trading, amazon,", error.Message);
        Assert.Contains("Channels:ebay:BatchSize 26 is outside 1–25, the ebay API's maximum.", error.Message);
        Assert.Contains("Channels:ebay:OutOfStock 'disable' is not supported by ebay: use end or zero.", error.Message);
        Assert.Contains("Channels:ebay:BaseUrl 'api.ebay.com' is neither an http(s) URL nor a path on this node.", error.Message);
        Assert.Contains("Channels:shop:RateLimit:PerSecond must be above 0 (got 0).", error.Message);
        Assert.Contains("Channels:shop:RateLimit:Burst must be at least 1 (got 0).", error.Message);
        Assert.Contains("Channels:shop:OutOfStock 'vanish' is not one of end, zero, disable, zero-backorder.", error.Message);
        Assert.Contains("Channels:bad id: channel may contain only", error.Message);
    }

    [Fact]
    public void Only_a_marketplace_with_a_bulk_path_takes_bulk_calls()
    {
        var amazon = Assert.Single(Resolve(("amazon", new ChannelSettings { Marketplace = "amazon" })));
        Assert.Equal((1, 10_000, TimeSpan.FromMinutes(15), 300.0),
            (amazon.BatchSize, amazon.BulkBatchSize, amazon.BulkCallTimeout, amazon.MinuteOfCalls));
        Assert.Equal(0, Assert.Single(Resolve(("ebay", new ChannelSettings { Marketplace = "ebay" }))).BulkBatchSize);

        var error = Assert.Throws<InvalidOperationException>(() => Resolve(
            ("shop", new ChannelSettings { Marketplace = "webhook", Bulk = { BatchSize = 100 } }),
            ("amazon", new ChannelSettings { Marketplace = "amazon", Bulk = { BatchSize = 20_000, CallTimeoutMs = 0 } })));
        Assert.Contains("Channels:shop:Bulk:BatchSize 100 is not possible: webhook has no bulk path.", error.Message);
        Assert.Contains("Channels:amazon:Bulk:BatchSize 20000 is not possible: amazon takes 0–10000.", error.Message);
        Assert.Contains("Channels:amazon:Bulk:CallTimeoutMs must be at least 1.", error.Message);
    }
}
