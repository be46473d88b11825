using System.Net;
using InventorySync.Host.Security;

namespace InventorySync.Host.Tests.Api;

public sealed class ApiKeyRingTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.7", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("2001:db8::1", false)]
    public void Without_keys_only_loopback_callers_are_served_as_loopback(string address, bool served)
    {
        var ring = new ApiKeyRing([]);

        var caller = ring.Identify(IPAddress.Parse(address), presentedKey: null);

        Assert.Equal(served ? "loopback" : null, caller.Source);
        Assert.Equal(!served, caller.Refusal is not null);
    }

    [Fact]
    public void Without_keys_a_caller_of_unknown_address_is_refused()
    {
        Assert.False(new ApiKeyRing([]).Identify(null, null).IsKnown);
    }

    [Fact]
    public void With_keys_a_caller_is_known_by_its_key_name_and_loopback_alone_is_not_enough()
    {
        var ring = new ApiKeyRing([new ApiKeySetting { Name = "wms", Key = "k-wms" }, new ApiKeySetting { Name = "erp", Key = "k-erp" }]);

        Assert.Equal("erp", ring.Identify(IPAddress.Parse("10.0.0.7"), "k-erp").Source);
        Assert.Equal("wms", ring.Identify(IPAddress.Loopback, "k-wms").Source);
        Assert.False(ring.Identify(IPAddress.Loopback, null).IsKnown);
        Assert.False(ring.Identify(IPAddress.Loopback, "k-wm").IsKnown);
        Assert.False(ring.Identify(IPAddress.Loopback, "K-WMS").IsKnown);
    }

    [Fact]
    public void A_refusal_never_repeats_the_presented_key()
    {
        var ring = new ApiKeyRing([new ApiKeySetting { Name = "wms", Key = "k-wms" }]);

        var caller = ring.Identify(IPAddress.Loopback, "guessed-secret");

        Assert.DoesNotContain("guessed-secret", caller.Refusal);
    }
}
