using InventorySync.Host.Tests.Support;
using InventorySync.TestSupport;
using Xunit.Abstractions;
using static InventorySync.Host.Tests.Support.InventoryHttp;

namespace InventorySync.Host.Tests.Durability;

/// <summary>
/// A real node process whose marketplaces refuse its access tokens: the failures are logged, the tokens never are.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class CredentialLoggingTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const string EbayToken = "ebay-SECRET-token-5b1f0c";
    private const string AmazonToken = "Atza|amazon-SECRET-token-77d2e9";

    private readonly NodeRuns _runs = new(postgres, output, "credentials");
    private NodeProcess? _node;

    [Fact]
    public async Task Access_tokens_refused_by_the_marketplaces_appear_in_no_log_line()
    {
        _node = await _runs.StartAsync(
        [
            ..await _runs.StoreArguments(Store.Sqlite),
            "--Sandbox:Enabled=true", "--Sandbox:Ebay:AccessToken=the-only-ebay-token",
            "--Sandbox:Amazon:AccessToken=the-only-amazon-token",
            "--Channels:ebay:Marketplace=ebay", "--Channels:ebay:BaseUrl=/sandbox/ebay",
            "--Channels:amazon:Marketplace=amazon", "--Channels:amazon:BaseUrl=/sandbox/amazon",
            "--Channels:amazon:SellerId=A2SANDBOXSELLER", "--Channels:amazon:MarketplaceId=A1F83G8C2ARO7P",
        ], TimeSpan.FromSeconds(90), environment: new Dictionary<string, string>
        {
            // Secrets come in through the environment, as in a deployment.
            ["InventorySync__Channels__ebay__Credentials__AccessToken"] = EbayToken,
            ["InventorySync__Channels__amazon__Credentials__AccessToken"] = AmazonToken,
        });

        await _node.Http.CountStock("CRED-1", 5);
        (await _node.Http.PutAsync("/api/v1/skus/CRED-1/listings/ebay/offer-cred-1", JsonBody("{}"))).EnsureSuccessStatusCode();
        (await _node.Http.PutAsync("/api/v1/skus/CRED-1/listings/amazon/CRED-1", JsonBody("{}"))).EnsureSuccessStatusCode();

        await Eventually(() => Task.FromResult(Refused("ebay") && Refused("amazon")), logged => logged, TimeSpan.FromSeconds(30));
        var view = await _node.Http.GetSku("CRED-1");
        Assert.All(view.Listings, x => Assert.Equal("pending", x.Status));

        Assert.DoesNotContain(EbayToken, _node.Output);
        Assert.DoesNotContain(AmazonToken, _node.Output);
        Assert.DoesNotContain("SECRET", _node.Output);
    }

    private bool Refused(string channel) =>
        _node!.Output.Split('\n').Any(line => line.Contains("WRN") && line.Contains($"Channel {channel}: call") && line.Contains("failed"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runs.DisposeAsync();
}
