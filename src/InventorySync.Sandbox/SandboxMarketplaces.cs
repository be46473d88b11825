using InventorySync.Sandbox.Amazon;
using InventorySync.Sandbox.Ebay;
using Microsoft.Extensions.Options;

namespace InventorySync.Sandbox;

/// <summary>The state of every sandbox marketplace, one instance per app.</summary>
internal sealed class SandboxMarketplaces(IOptions<SandboxOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    : IDisposable
{
    public EbaySandbox Ebay { get; } = new(options.Value.Ebay, clock, lifetime.ApplicationStopping);

    public AmazonSandbox Amazon { get; } = new(options.Value.Amazon, clock, lifetime.ApplicationStopping);

    public void Dispose() => Amazon.Dispose();
}
