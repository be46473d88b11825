using CsCheck;
using InventorySync.Domain.Listings;

namespace InventorySync.Domain.Tests.Listings;

/// <summary>Any valid settings and any availability, small values weighted so thresholds and caps bite often.</summary>
public sealed class AllocationPolicyPropertyTests
{
    private const long Iterations = 10_000;

    private static readonly Gen<long> Available = Gen.Frequency(
        (8, Gen.Long[-5, 200]),
        (1, Gen.Long[-5, long.MaxValue]),
        (1, Gen.Long[long.MinValue, 0]));

    private static readonly Gen<ListingSettings> Settings =
        Gen.Select(Gen.Int[1, 100], Gen.Long[0, 30], Gen.Long[0, 30], Gen.Long[0, 100].Nullable(), Gen.Enum<OutOfStockRule>(),
            (percentage, buffer, min, extra, rule) => new ListingSettings(percentage, buffer, min, min + extra, rule));

    [Fact]
    public void Generated_settings_are_valid() =>
        Settings.Sample(s => Assert.Null(ListingRules.Check(s, MarketplaceKind.Webhook)), iter: Iterations);

    [Fact]
    public void Desired_quantity_is_never_negative_nor_above_availability_nor_the_maximum() =>
        Gen.Select(Available, Settings).Sample((available, settings) =>
        {
            var quantity = AllocationPolicy.Desired(available, settings).Quantity;

            Assert.InRange(quantity, 0, Math.Max(available, 0));
            if (settings.MaxQuantity is { } max) Assert.True(quantity <= max, $"{quantity} above the maximum {max}");
        }, iter: Iterations);

    [Fact]
    public void Desired_quantity_never_decreases_when_availability_grows() =>
        Gen.Select(Available, Gen.Long[0, 100], Settings).Sample((available, more, settings) =>
        {
            var larger = available > long.MaxValue - more ? long.MaxValue : available + more;

            Assert.True(AllocationPolicy.Desired(available, settings).Quantity <= AllocationPolicy.Desired(larger, settings).Quantity);
        }, iter: Iterations);

    [Fact]
    public void Status_is_active_exactly_when_the_quantity_is_positive_and_otherwise_follows_the_rule() =>
        Gen.Select(Available, Settings).Sample((available, settings) =>
        {
            var desired = AllocationPolicy.Desired(available, settings);

            Assert.Equal(desired.Quantity > 0 ? ListingStatus.Active : AllocationPolicy.OutOfStockStatus(settings.OutOfStock),
                desired.Status);
        }, iter: Iterations);
}
