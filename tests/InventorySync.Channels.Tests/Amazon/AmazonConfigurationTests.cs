using InventorySync.Channels.Amazon;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;

namespace InventorySync.Channels.Tests.Amazon;

public sealed class AmazonConfigurationTests : IDisposable
{
    private readonly MarketplaceClientFactory _factory = new(TimeProvider.System);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void The_factory_makes_the_Listings_Items_adapter_for_an_amazon_channel()
    {
        Assert.IsType<AmazonListingsClient>(_factory.Create(Channel()));
    }

    [Theory]
    [InlineData("SellerId")]
    [InlineData("MarketplaceId")]
    public void A_missing_seller_or_marketplace_id_is_refused_naming_the_key(string key)
    {
        var credentials = Credentials();
        credentials.Remove(key);

        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(Channel() with { Credentials = credentials }));

        Assert.Contains($"Channels:amazon-eu:{key} ", error.Message);
        Assert.Contains($"Channels:amazon-eu:Credentials:{key}", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://sellingpartnerapi-eu.amazon.com")]
    [InlineData("https://sellingpartnerapi-eu.amazon.com/?region=eu")]
    public void A_base_url_that_is_not_an_http_api_root_is_refused_naming_the_key(string? baseUrl)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => _factory.Create(Channel() with { BaseUrl = baseUrl is null ? null : new Uri(baseUrl) }));

        Assert.Contains("Channels:amazon-eu:BaseUrl", error.Message);
    }

    [Fact]
    public void Without_a_token_or_the_LWA_refresh_flow_the_channel_is_refused_naming_the_keys()
    {
        var credentials = Credentials();
        credentials.Remove("AccessToken");

        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(Channel() with { Credentials = credentials }));

        Assert.Contains("Channels:amazon-eu:Credentials:RefreshToken", error.Message);
    }

    [Fact]
    public void An_access_token_a_header_cannot_carry_is_refused_without_quoting_it()
    {
        var credentials = Credentials();
        credentials["AccessToken"] = "Atza|secret-part\r\nX-Injected: 1";

        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(Channel() with { Credentials = credentials }));

        Assert.Contains("Channels:amazon-eu:Credentials:AccessToken", error.Message);
        Assert.DoesNotContain("secret-part", error.Message);
    }

    [Fact]
    public void A_batch_size_above_what_one_feed_carries_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _factory.Create(Channel() with { BatchSize = 25_001 }));

        Assert.Contains("Channels:amazon-eu:BatchSize 25001", error.Message);
    }

    [Theory]
    [InlineData(5, 300)]
    [InlineData(0.5, 30)]
    public void By_default_a_batch_goes_as_a_feed_above_what_the_PATCH_rate_clears_in_a_minute(double ratePerSecond, int threshold)
    {
        Assert.Equal(threshold, AmazonListingsOptions.For(Channel() with { RatePerSecond = ratePerSecond }).FeedThreshold);
    }

    private static Dictionary<string, string> Credentials() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["SellerId"] = "A2SELLER",
        ["MarketplaceId"] = "A1PM3R0FR8W9XZ",
        ["AccessToken"] = AmazonTestData.AccessToken,
    };

    private static ChannelDefinition Channel() =>
        new("amazon-eu", MarketplaceKind.Amazon, new Uri("https://sellingpartnerapi-eu.amazon.com"), Credentials(),
            RatePerSecond: 5, Burst: 5, BatchSize: 1, BatchLinger: TimeSpan.Zero, OutOfStock: OutOfStockRule.Zero,
            CallTimeout: TimeSpan.FromSeconds(10), LandingGrace: TimeSpan.FromSeconds(20));
}
