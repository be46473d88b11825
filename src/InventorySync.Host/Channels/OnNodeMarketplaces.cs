using InventorySync.Domain.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace InventorySync.Host.Channels;

/// <summary>
/// Lets a channel's <c>BaseUrl</c> be a path on this node (the embedded sandbox): such a channel's client is made once
/// the HTTP server has bound its address, on the first call, with the path resolved against that address. Channels
/// with an absolute <c>BaseUrl</c> go straight to the adapters.
/// </summary>
internal sealed class OnNodeMarketplaces(IMarketplaceClientFactory adapters, NodeAddress node) : IMarketplaceClientFactory
{
    public IMarketplaceClient Create(ChannelDefinition channel) =>
        channel.BaseUrl is { IsAbsoluteUri: false } path
            ? new Deferred(async ct => adapters.Create(channel with { BaseUrl = new Uri(await node.GetAsync(ct), path) }))
            : adapters.Create(channel);

    private sealed class Deferred(Func<CancellationToken, Task<IMarketplaceClient>> create) : IMarketplaceClient
    {
        private Task<IMarketplaceClient>? _client;

        public async Task<IReadOnlyList<UpdateOutcome>> SendAsync(
            IReadOnlyList<MarketplaceUpdate> batch, CancellationToken cancellationToken)
        {
            var client = await (_client ??= create(CancellationToken.None)).WaitAsync(cancellationToken);
            return await client.SendAsync(batch, cancellationToken);
        }
    }
}

/// <summary>This node's HTTP address, known once the server has started (a loopback address when it listens on all).</summary>
internal sealed class NodeAddress
{
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Uri> GetAsync(CancellationToken cancellationToken) => _address.Task.WaitAsync(cancellationToken);

    public void Started(IServer server)
    {
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("The HTTP server reports no address.");
        // Calls to this node go over loopback whatever interface it listens on (http://+:5080, http://0.0.0.0:5080, …).
        var address = BindingAddress.Parse(bound);
        _address.TrySetResult(new UriBuilder(address.Scheme, "127.0.0.1", address.Port).Uri);
    }
}
