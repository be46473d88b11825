using InventorySync.Domain.Listings;
using static InventorySync.Domain.Listings.ListingStatus;

namespace InventorySync.Domain.Tests.Listings;

public sealed class AllocationPolicyTests
{
    private static ListingSettings Settings(
        int percentage = 100, long buffer = 0, long minQuantity = 0, long? maxQuantity = null,
        OutOfStockRule outOfStock = OutOfStockRule.Zero) =>
        new(percentage, buffer, minQuantity, maxQuantity, outOfStock);

    private static long Quantity(long available, ListingSettings settings) =>
        AllocationPolicy.Desired(available, settings).Quantity;

    public static TheoryData<MarketplaceKind, OutOfStockRule, ListingStatus> EveryRuleOfEveryMarketplace()
    {
        var statuses = new Dictionary<OutOfStockRule, ListingStatus>
        {
            [OutOfStockRule.End] = Ended,
            [OutOfStockRule.Zero] = Inactive,
            [OutOfStockRule.Disable] = Disabled,
            [OutOfStockRule.ZeroBackorder] = Backorder,
        };
        var data = new TheoryData<MarketplaceKind, OutOfStockRule, ListingStatus>();
        foreach (var profile in Marketplaces.All)
        {
            foreach (var rule in profile.SupportedOutOfStock) data.Add(profile.Kind, rule, statuses[rule]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRuleOfEveryMarketplace))]
    public void Listing_goes_out_of_stock_by_its_rule_and_comes_back_active_when_stock_returns(
        MarketplaceKind marketplace, OutOfStockRule rule, ListingStatus outOfStock)
    {
        var settings = ListingRules.Resolve(null, null, null, null, Marketplaces.WireName(rule), marketplace, rule);

        Assert.Equal(new DesiredListing(3, Active), AllocationPolicy.Desired(3, settings));
        Assert.Equal(new DesiredListing(0, outOfStock), AllocationPolicy.Desired(0, settings));
        Assert.Equal(new DesiredListing(5, Active), AllocationPolicy.Desired(5, settings));
        Assert.Equal(new DesiredListing(0, outOfStock), AllocationPolicy.Desired(-2, settings));
    }

    [Theory]
    [InlineData(OutOfStockRule.End, Ended)]
    [InlineData(OutOfStockRule.Zero, Inactive)]
    [InlineData(OutOfStockRule.Disable, Disabled)]
    [InlineData(OutOfStockRule.ZeroBackorder, Backorder)]
    public void Each_out_of_stock_rule_has_its_status(OutOfStockRule rule, ListingStatus status) =>
        Assert.Equal(status, AllocationPolicy.OutOfStockStatus(rule));

    [Fact]
    public void Default_settings_publish_all_that_is_available() =>
        Assert.Equal(new DesiredListing(17, Active), AllocationPolicy.Desired(17, Settings()));

    [Theory]
    [InlineData(10, 33, 3)]
    [InlineData(10, 35, 3)]
    [InlineData(199, 50, 99)]
    [InlineData(3, 99, 2)]
    [InlineData(1, 99, 0)]
    [InlineData(99, 1, 0)]
    [InlineData(100, 1, 1)]
    [InlineData(7, 100, 7)]
    public void Channel_share_is_rounded_down(long available, int percentage, long expected) =>
        Assert.Equal(expected, Quantity(available, Settings(percentage)));

    [Fact]
    public void Share_of_the_largest_availability_does_not_overflow()
    {
        Assert.Equal(long.MaxValue, Quantity(long.MaxValue, Settings()));
        Assert.Equal(long.MaxValue / 2, Quantity(long.MaxValue, Settings(50)));
        Assert.Equal(long.MaxValue / 100 * 99 + long.MaxValue % 100 * 99 / 100, Quantity(long.MaxValue, Settings(99)));
    }

    [Theory]
    [InlineData(10, 3, 7)]
    [InlineData(10, 9, 1)]
    [InlineData(10, 10, 0)]
    [InlineData(10, 25, 0)]
    [InlineData(0, 5, 0)]
    public void Buffer_is_subtracted_and_never_makes_the_quantity_negative(long available, long buffer, long expected) =>
        Assert.Equal(expected, Quantity(available, Settings(buffer: buffer)));

    [Fact]
    public void Buffer_is_subtracted_from_the_channel_share_not_from_availability() =>
        Assert.Equal(3, Quantity(10, Settings(50, buffer: 2)));

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 0)]
    [InlineData(6, 6)]
    [InlineData(40, 40)]
    public void At_or_below_the_minimum_nothing_is_published(long available, long expected) =>
        Assert.Equal(expected, Quantity(available, Settings(minQuantity: 5)));

    [Fact]
    public void Minimum_applies_after_share_and_buffer()
    {
        Assert.Equal(0, Quantity(20, Settings(50, buffer: 4, minQuantity: 6)));
        Assert.Equal(7, Quantity(22, Settings(50, buffer: 4, minQuantity: 6)));
    }

    [Fact]
    public void Quantity_below_the_minimum_takes_the_out_of_stock_status() =>
        Assert.Equal(new DesiredListing(0, Ended), AllocationPolicy.Desired(3, Settings(minQuantity: 3, outOfStock: OutOfStockRule.End)));

    [Theory]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(5, 4)]
    [InlineData(1000, 4)]
    public void Quantity_is_capped_at_the_maximum(long available, long expected) =>
        Assert.Equal(expected, Quantity(available, Settings(maxQuantity: 4)));

    [Fact]
    public void Cap_applies_after_the_minimum()
    {
        var settings = Settings(minQuantity: 3, maxQuantity: 3);

        Assert.Equal(0, Quantity(3, settings));
        Assert.Equal(3, Quantity(4, settings));
    }

    [Fact]
    public void Maximum_of_zero_keeps_the_listing_out_of_stock() =>
        Assert.Equal(new DesiredListing(0, Disabled),
            AllocationPolicy.Desired(50, Settings(maxQuantity: 0, outOfStock: OutOfStockRule.Disable)));

    [Fact]
    public void All_settings_together_apply_in_order()
    {
        var settings = Settings(60, buffer: 2, minQuantity: 3, maxQuantity: 10, outOfStock: OutOfStockRule.ZeroBackorder);

        Assert.Equal(new DesiredListing(0, Backorder), AllocationPolicy.Desired(8, settings));   // 4 − 2 = 2 ≤ 3
        Assert.Equal(new DesiredListing(4, Active), AllocationPolicy.Desired(10, settings));     // 6 − 2 = 4
        Assert.Equal(new DesiredListing(10, Active), AllocationPolicy.Desired(100, settings));   // 60 − 2, capped
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void Negative_availability_counts_as_none(long available) =>
        Assert.Equal(new DesiredListing(0, Inactive), AllocationPolicy.Desired(available, Settings()));
}
