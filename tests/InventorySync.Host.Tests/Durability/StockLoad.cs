using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace InventorySync.Host.Tests.Durability;

/// <summary>One write sent to the node: a single-unit order, or a stock adjustment.</summary>
public sealed record StockOperation(string Key, long Delta, bool IsOrder)
{
    public static StockOperation Order(string orderId) => new(orderId, 1, true);

    public static StockOperation Adjustment(string reference, long delta) => new(reference, delta, false);

    public Task<HttpResponseMessage> SendAsync(HttpClient http, string sku, CancellationToken ct) => IsOrder
        ? http.PostAsJsonAsync("/api/v1/orders", new
        {
            orderId = Key, channel = "durability",
            lines = new[] { new { lineId = "1", sku, quantity = Delta } },
        }, ct)
        : http.PostAsJsonAsync($"/api/v1/skus/{sku}/stock/adjustments", new { delta = Delta, reference = Key }, ct);
}

public enum Delivery
{
    /// <summary>Never handed to the HTTP client: the node cannot have seen it.</summary>
    NotSent,
    /// <summary>Sent, but no 200 came back (connection dropped, 503): it may or may not have been applied.</summary>
    Unacknowledged,
    /// <summary>Answered 200: it must survive anything.</summary>
    Acknowledged,
}

public sealed class OperationOutcome(StockOperation operation)
{
    public StockOperation Operation { get; } = operation;
    public Delivery Delivery { get; set; } = Delivery.NotSent;
    public JsonNode? Answer { get; set; }
    public string? Failure { get; set; }
}

/// <summary>
/// Sends operations over a fixed number of concurrent workers until they run out or <see cref="StopSending"/> is
/// called; records which ones were acknowledged. Statuses other than 200 and 503 are collected as unexpected.
/// </summary>
public sealed class StockLoad(
    HttpClient http, string sku, IReadOnlyList<StockOperation> operations, int workers, CancellationToken ct)
{
    private readonly TaskCompletionSource _thresholdReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next = -1;
    private int _acknowledged;
    private int _inFlight;
    private int _threshold = int.MaxValue;
    private volatile bool _stopped;

    public IReadOnlyList<OperationOutcome> Outcomes { get; } = operations.Select(o => new OperationOutcome(o)).ToList();

    public List<string> Unexpected { get; } = [];

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Completes once <paramref name="acknowledged"/> operations have been answered 200.</summary>
    public Task Acknowledged(int acknowledged)
    {
        _threshold = acknowledged;
        if (Volatile.Read(ref _acknowledged) >= acknowledged) _thresholdReached.TrySetResult();
        return _thresholdReached.Task;
    }

    /// <summary>No worker picks up another operation after this; those already sent stay in flight.</summary>
    public void StopSending() => _stopped = true;

    public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)));

    private async Task WorkAsync()
    {
        while (!_stopped)
        {
            var index = Interlocked.Increment(ref _next);
            if (index >= Outcomes.Count) return;
            var outcome = Outcomes[index];

            Interlocked.Increment(ref _inFlight);
            outcome.Delivery = Delivery.Unacknowledged;
            try
            {
                using var response = await outcome.Operation.SendAsync(http, sku, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    outcome.Answer = JsonNode.Parse(body);
                    outcome.Delivery = Delivery.Acknowledged;
                    if (Interlocked.Increment(ref _acknowledged) >= _threshold) _thresholdReached.TrySetResult();
                }
                else
                {
                    outcome.Failure = $"{(int)response.StatusCode} {body}";
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                        lock (Unexpected) Unexpected.Add($"{outcome.Operation}: {outcome.Failure}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                                       || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                outcome.Failure = e.GetBaseException().Message;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
