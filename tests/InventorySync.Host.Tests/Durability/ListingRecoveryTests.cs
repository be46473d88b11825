using System.Diagnostics;
using InventorySync.Host.Tests.Support;
using InventorySync.TestSupport;
using Xunit.Abstractions;
using static InventorySync.Host.Tests.Support.InventoryHttp;

namespace InventorySync.Host.Tests.Durability;

/// <summary>
/// Real node processes and a real web shop behind the webhook channel: updates are pending (the shop is down) when the
/// node is SIGKILLed; the shop comes back, a new node starts on the same database, and every listing must reach the
/// shop with its final quantity although nobody sends the node anything.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class ListingRecoveryTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Skus = 6;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(60);

    private readonly NodeRuns _runs = new(postgres, output, "listings");
    private WebhookShop? _shop;
    private NodeProcess? _restarted;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Listings_pending_when_the_node_is_killed_converge_after_a_restart_with_no_new_command(Store store)
    {
        _shop = await WebhookShop.StartAsync(down: true);
        string[] arguments =
        [
            ..await _runs.StoreArguments(store),
            "--Channels:shop:Marketplace=webhook", $"--Channels:shop:BaseUrl={_shop.HookUrl}",
            "--Channels:shop:RateLimit:PerSecond=200", "--Channels:shop:RateLimit:Burst=50",
            "--Sku:ListingResendAfter=00:00:01",
        ];
        var run = Guid.NewGuid().ToString("N")[..8];
        var node = await StartNodeAsync(arguments);

        var expected = new Dictionary<string, (long Quantity, string Status)>();
        for (var i = 0; i < Skus; i++)
        {
            var sku = $"LR-{run}-{i}";
            await node.Http.CountStock(sku, 10 + i);
            await Map(node.Http, sku, $"{sku}-all", "{}");
            await Map(node.Http, sku, $"{sku}-half", """{"percentage":50,"outOfStock":"disable"}""");
            await node.Http.PlaceOrder($"{sku}-order", sku, 3 + i);
            var view = await node.Http.GetSku(sku);
            foreach (var listing in view.Listings) expected[listing.ListingId] = (listing.DesiredQuantity, ExpectedStatus(listing));
        }
        await Eventually(() => Task.FromResult(_shop.Refused), refused => refused >= expected.Count, TimeSpan.FromSeconds(30));
        Assert.All(expected.Keys, listing => Assert.Null(_shop.Showing(listing)));

        node.Kill();
        _shop.Down = false;
        var restarted = Stopwatch.StartNew();
        _restarted = await StartNodeAsync(arguments);

        // Nothing is sent to the new node until every listing shows its final value at the shop.
        await Eventually(
            () => Task.FromResult(expected
                .Where(x => _shop.Showing(x.Key) is not { } shown || (shown.Quantity, shown.Status) != x.Value)
                .Select(x => $"{x.Key}: expected {x.Value}, shop shows {_shop.Showing(x.Key)?.ToString() ?? "nothing"}")
                .ToList()),
            missing => missing.Count == 0, ConvergeTimeout);
        output.WriteLine($"{store}: all {expected.Count} listings converged {restarted.ElapsedMilliseconds} ms after the restart began");

        foreach (var (listing, _) in expected)
        {
            var versions = _shop.Applied(listing);
            Assert.True(versions.Zip(versions.Skip(1)).All(p => p.Item1 <= p.Item2),
                $"{listing}: versions applied out of order: {string.Join(", ", versions)}");
        }
        var second = _restarted;
        for (var i = 0; i < Skus; i++)
        {
            var view = await Eventually(() => second.Http.GetSku($"LR-{run}-{i}"), v => v.Listings.All(x => x.Synced));
            Assert.All(view.Listings, x => Assert.Equal(expected[x.ListingId].Quantity, x.PublishedQuantity));
        }
    }

    private static string ExpectedStatus(ListingJson listing) =>
        listing.DesiredQuantity > 0 ? "active" : listing.Settings.OutOfStock switch
        {
            "end" => "ended",
            "disable" => "disabled",
            "zero-backorder" => "backorder",
            _ => "inactive",
        };

    private static async Task Map(HttpClient http, string sku, string listingId, string settings)
    {
        using var response = await http.PutAsync($"/api/v1/skus/{sku}/listings/shop/{listingId}", JsonBody(settings));
        await response.AssertStatus(System.Net.HttpStatusCode.OK);
    }

    private Task<NodeProcess> StartNodeAsync(string[] arguments) => _runs.StartAsync(arguments, StartTimeout);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _runs.DisposeAsync();
        if (_shop is not null) await _shop.DisposeAsync();
    }
}
