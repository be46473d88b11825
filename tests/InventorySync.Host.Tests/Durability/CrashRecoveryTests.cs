using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InventorySync.TestSupport;
using Xunit.Abstractions;

namespace InventorySync.Host.Tests.Durability;

/// <summary>
/// Real node processes on a real database: load goes in over HTTP, the node is killed (SIGKILL) or stopped (SIGTERM)
/// while requests are in flight, and a new node on the same database must still hold every acknowledged write,
/// answer replays with the first answer, and apply retries of the unacknowledged writes exactly once.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class CrashRecoveryTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private const long InitialOnHand = 500;
    private const int Orders = 300;
    private const int Adjustments = 60;
    private const int Workers = 32;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    /// <summary>Everything a test does over HTTP is cancelled past this, so a node that stalls fails the test instead of hanging it.</summary>
    private static readonly TimeSpan TestBudget = TimeSpan.FromMinutes(4);

    private readonly NodeRuns _runs = new(postgres, output, "durability");
    private readonly CancellationTokenSource _budget = new(TestBudget);

    private CancellationToken Budget => _budget.Token;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public Task Node_killed_mid_stream_keeps_every_acknowledged_write_and_applies_retries_once(Store store) =>
        RunAsync(store, node =>
        {
            node.Kill();
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public Task Node_stopped_with_SIGTERM_mid_stream_exits_cleanly_and_keeps_every_acknowledged_write(Store store) =>
        RunAsync(store, async node =>
        {
            await node.StopAsync(StepTimeout);
            Assert.True(node.ExitCode == 0, $"The node exited with {node.ExitCode} after SIGTERM");
        });

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Node_stopped_with_SIGTERM_answers_every_request_already_in_flight(Store store)
    {
        var (_, _, outcomes) = await LoadAndInterruptAsync(store, node => node.StopAsync(StepTimeout));

        var unanswered = outcomes.Where(o => o.Delivery == Delivery.Unacknowledged).ToList();
        Assert.True(unanswered.Count == 0,
            $"{unanswered.Count} request(s) in flight when SIGTERM arrived were not answered 200: " +
            string.Join("; ", unanswered.Take(5).Select(o => $"{o.Operation.Key}: {o.Failure}")));
    }

    private async Task RunAsync(Store store, Func<NodeProcess, Task> interrupt)
    {
        var (arguments, sku, outcomes) = await LoadAndInterruptAsync(store, interrupt);

        var second = await StartNodeAsync(arguments);
        await VerifyAcknowledgedOrdersAsync(second.Http, sku, outcomes);
        await VerifyUnsentOrdersAreUnknownAsync(second.Http, outcomes);
        await VerifyLevelsWithinBoundsAsync(second.Http, sku, outcomes);
        await RetryEverythingNotAcknowledgedAsync(second.Http, sku, outcomes);
        await VerifyEveryOperationAppliedOnceAsync(second.Http, sku, outcomes);
    }

    /// <summary>
    /// Starts a node on a fresh database, sets the stock, sends the operations and interrupts the node once about a
    /// third of them are acknowledged, with requests in flight; nothing new is sent after the interruption starts.
    /// </summary>
    private async Task<(string[] Arguments, string Sku, IReadOnlyList<OperationOutcome> Outcomes)> LoadAndInterruptAsync(
        Store store, Func<NodeProcess, Task> interrupt)
    {
        var arguments = await _runs.StoreArguments(store);
        var sku = $"DUR-{Guid.NewGuid():N}"[..16];
        var operations = Operations();

        var node = await StartNodeAsync(arguments);
        await SetStockAsync(node.Http, sku);

        var load = new StockLoad(node.Http, sku, operations, Workers, Budget);
        var threshold = load.Acknowledged(operations.Count * 35 / 100);
        var running = load.RunAsync();
        await threshold.WaitAsync(StepTimeout, Budget);
        load.StopSending();
        var inFlightAtInterrupt = load.InFlight;
        await interrupt(node);
        await running.WaitAsync(StepTimeout, Budget);

        var outcomes = load.Outcomes;
        output.WriteLine(
            $"{store}: in flight at the interruption {inFlightAtInterrupt}; " +
            $"acknowledged {outcomes.Count(o => o.Delivery == Delivery.Acknowledged)}, " +
            $"unacknowledged {outcomes.Count(o => o.Delivery == Delivery.Unacknowledged)}, " +
            $"not sent {outcomes.Count(o => o.Delivery == Delivery.NotSent)}");
        Assert.Empty(load.Unexpected);
        Assert.True(inFlightAtInterrupt > 0, "No request was in flight when the node was interrupted");
        return (arguments, sku, outcomes);
    }

    private static List<StockOperation> Operations()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var orders = Enumerable.Range(0, Orders).Select(i => StockOperation.Order($"dur-{run}-{i}"));
        // Receipts (+2) and write-offs (−1): on-hand never drops below 500 − 30, above the 300 units ordered.
        var adjustments = Enumerable.Range(0, Adjustments)
            .Select(i => StockOperation.Adjustment($"adj-{run}-{i}", i % 2 == 0 ? 2 : -1));
        return orders.Concat(adjustments).OrderBy(_ => Random.Shared.Next()).ToList();
    }

    private async Task SetStockAsync(HttpClient http, string sku)
    {
        using var response = await http.PutAsJsonAsync(
            $"/api/v1/skus/{sku}/stock", new { onHand = InitialOnHand, reference = $"count-{sku}" }, Budget);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Stock count: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task VerifyAcknowledgedOrdersAsync(HttpClient http, string sku, IReadOnlyList<OperationOutcome> outcomes)
    {
        foreach (var order in outcomes.Where(o => o.Operation.IsOrder && o.Delivery == Delivery.Acknowledged))
        {
            var first = order.Answer!;
            Assert.Equal("reserved", LineStatus(first));

            var (status, stored) = await GetJsonAsync(http, $"/api/v1/orders/{order.Operation.Key}");
            Assert.True(status == HttpStatusCode.OK, $"Acknowledged order {order.Operation.Key} is gone after the restart: {(int)status} {stored}");
            Assert.Equal(LinesOf(first), LinesOf(stored!));

            using var resubmitted = await order.Operation.SendAsync(http, sku, Budget);
            var replay = await resubmitted.Content.ReadAsStringAsync(Budget);
            Assert.True(resubmitted.StatusCode == HttpStatusCode.OK, $"Resubmitting {order.Operation.Key}: {(int)resubmitted.StatusCode} {replay}");
            Assert.True(JsonNode.DeepEquals(first, JsonNode.Parse(replay)),
                $"Resubmitting {order.Operation.Key} answered {replay}, first answer was {first.ToJsonString()}");
        }
    }

    private async Task VerifyUnsentOrdersAreUnknownAsync(HttpClient http, IReadOnlyList<OperationOutcome> outcomes)
    {
        foreach (var order in outcomes.Where(o => o.Operation.IsOrder && o.Delivery == Delivery.NotSent))
        {
            var (status, body) = await GetJsonAsync(http, $"/api/v1/orders/{order.Operation.Key}");
            Assert.True(status == HttpStatusCode.NotFound, $"Order {order.Operation.Key} was never sent but answers {(int)status} {body}");
        }
    }

    /// <summary>
    /// Before any retry: every acknowledged write is in the levels, and at most the unacknowledged ones on top
    /// (an order the node recorded but did not answer may be finished after the restart).
    /// </summary>
    private async Task VerifyLevelsWithinBoundsAsync(HttpClient http, string sku, IReadOnlyList<OperationOutcome> outcomes)
    {
        var levels = await GetLevelsAsync(http, sku);
        var acknowledgedReserved = outcomes
            .Where(o => o.Operation.IsOrder && o.Delivery == Delivery.Acknowledged)
            .Sum(o => ReservedQuantity(o.Answer!));
        var unacknowledgedOrdered = outcomes
            .Where(o => o.Operation.IsOrder && o.Delivery == Delivery.Unacknowledged)
            .Sum(o => o.Operation.Delta);
        Assert.InRange(levels.Reserved, acknowledgedReserved, acknowledgedReserved + unacknowledgedOrdered);

        var acknowledgedOnHand = InitialOnHand + outcomes
            .Where(o => !o.Operation.IsOrder && o.Delivery == Delivery.Acknowledged)
            .Sum(o => o.Operation.Delta);
        var pending = outcomes.Where(o => !o.Operation.IsOrder && o.Delivery == Delivery.Unacknowledged).ToList();
        Assert.InRange(levels.OnHand,
            acknowledgedOnHand + pending.Where(o => o.Operation.Delta < 0).Sum(o => o.Operation.Delta),
            acknowledgedOnHand + pending.Where(o => o.Operation.Delta > 0).Sum(o => o.Operation.Delta));
    }

    /// <summary>What a well-behaved client does after a lost answer: send the same write again until it is answered.</summary>
    private async Task RetryEverythingNotAcknowledgedAsync(HttpClient http, string sku, IReadOnlyList<OperationOutcome> outcomes)
    {
        var deadline = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = Budget };
        await Parallel.ForEachAsync(outcomes.Where(o => o.Delivery != Delivery.Acknowledged), options, async (outcome, ct) =>
        {
            while (true)
            {
                using var response = await outcome.Operation.SendAsync(http, sku, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    outcome.Answer = JsonNode.Parse(body);
                    return;
                }
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && deadline.Elapsed < StepTimeout,
                    $"Retrying {outcome.Operation}: {(int)response.StatusCode} {body}");
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        });
    }

    /// <summary>After the retries, every write counts exactly once: no acknowledged one lost, no retried one doubled.</summary>
    private async Task VerifyEveryOperationAppliedOnceAsync(HttpClient http, string sku, IReadOnlyList<OperationOutcome> outcomes)
    {
        var orders = outcomes.Where(o => o.Operation.IsOrder).ToList();
        Assert.All(orders, o => Assert.Equal("reserved", LineStatus(o.Answer!)));

        var levels = await GetLevelsAsync(http, sku);
        Assert.Equal(orders.Sum(o => ReservedQuantity(o.Answer!)), levels.Reserved);
        Assert.Equal(InitialOnHand + outcomes.Where(o => !o.Operation.IsOrder).Sum(o => o.Operation.Delta), levels.OnHand);
        Assert.Equal(0, levels.Backordered);
    }

    private async Task<Levels> GetLevelsAsync(HttpClient http, string sku)
    {
        var (status, body) = await GetJsonAsync(http, $"/api/v1/skus/{sku}");
        Assert.True(status == HttpStatusCode.OK, $"GET sku: {(int)status} {body}");
        var levels = new Levels(
            body!["onHand"]!.GetValue<long>(), body["reserved"]!.GetValue<long>(),
            body["backordered"]!.GetValue<long>(), body["available"]!.GetValue<long>());
        Assert.InRange(levels.Reserved, 0, levels.OnHand);
        Assert.True(levels.Available >= 0, $"available {levels.Available} < 0");
        Assert.Equal(levels.OnHand - levels.Reserved, levels.Available);
        return levels;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Budget);
        var body = await response.Content.ReadAsStringAsync(Budget);
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(body) : JsonValue.Create(body));
    }

    private static JsonNode Line(JsonNode order) => order["lines"]!.AsArray().Single()!;

    private static string LineStatus(JsonNode order) => Line(order)["status"]!.GetValue<string>().ToLowerInvariant();

    private static long ReservedQuantity(JsonNode order) => Line(order)["reservedQuantity"]!.GetValue<long>();

    /// <summary>What an order's lines say, in the fields the contract defines, as comparable text.</summary>
    private static string LinesOf(JsonNode order) => string.Join(" | ", order["lines"]!.AsArray().Select(line =>
        string.Join(",", new[] { "lineId", "sku", "quantity", "status", "state", "reservedQuantity", "backorderedQuantity" }
            .Select(field => $"{field}={line![field]?.ToJsonString()}"))));

    private sealed record Levels(long OnHand, long Reserved, long Backordered, long Available);

    private Task<NodeProcess> StartNodeAsync(string[] arguments) => _runs.StartAsync(arguments, StartTimeout, Budget);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _runs.DisposeAsync();
        _budget.Dispose();
    }
}
