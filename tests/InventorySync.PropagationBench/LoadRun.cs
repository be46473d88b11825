using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace InventorySync.PropagationBench;

/// <summary>
/// Sends stock adjustments (±1, keeping each SKU near its starting stock) due at a fixed rate, to a random SKU with no
/// change in flight, and records every listing version the answers show as new, with the time of the answer.
/// </summary>
public sealed class LoadRun(HttpClient http, Options options, IReadOnlyList<string> channels)
{
    public sealed record Change(string Channel, string Listing, long Version, long Quantity, DateTimeOffset AckAt);

    private readonly ConcurrentQueue<Change> _changes = new();
    private readonly ConcurrentDictionary<int, byte> _busy = new();
    private readonly ConcurrentDictionary<string, long> _seen = new();
    private readonly long[] _stock = Enumerable.Repeat(Options.StartingStock, options.Skus).ToArray();
    private int _sent, _acknowledged, _failed, _skipped;

    public IReadOnlyList<Change> Changes => _changes.ToArray();
    public int Sent => _sent;
    public int Acknowledged => _acknowledged;
    public int Failed => _failed;
    public int Skipped => _skipped;

    /// <summary>Reads every SKU's listings, so that only versions made by the run count as changes.</summary>
    public async Task PrimeAsync()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Skus), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) =>
            {
                using var body = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/skus/{Program.Sku(i)}", ct));
                Remember(body, null);
            });
    }

    /// <summary>Runs warm-up and measurement; returns when measurement began.</summary>
    public async Task<DateTimeOffset> RunAsync()
    {
        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var total = TimeSpan.FromSeconds(options.Warmup + options.Duration);
        var measuredFrom = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(options.Warmup);
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var random = new Random(42);
        long due = 0;
        while (clock.Elapsed < total)
        {
            var dueAt = TimeSpan.FromTicks(due * interval.Ticks);
            var wait = dueAt - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            due++;
            var sku = random.Next(options.Skus);
            if (!_busy.TryAdd(sku, 0))
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }
            var delta = _stock[sku] >= Options.StartingStock + 20 ? -1 : _stock[sku] <= Options.StartingStock - 20 ? 1 : random.Next(2) * 2 - 1;
            _stock[sku] += delta;
            inFlight.Add(SendAsync(sku, delta));
            if (inFlight.Count > 512) inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        return measuredFrom;
    }

    /// <summary>Listing versions newer than any seen before are changes, acknowledged at <paramref name="at"/>.</summary>
    private void Remember(JsonDocument sku, DateTimeOffset? at)
    {
        foreach (var listing in sku.RootElement.GetProperty("listings").EnumerateArray())
        {
            var channel = listing.GetProperty("channel").GetString()!;
            var id = listing.GetProperty("listingId").GetString()!;
            var version = listing.GetProperty("desiredVersion").GetInt64();
            var quantity = listing.GetProperty("desiredQuantity").GetInt64();
            var key = channel + "/" + id;
            if (version <= _seen.GetValueOrDefault(key)) continue;
            _seen[key] = version;
            if (at is { } acknowledged && channels.Contains(channel)) _changes.Enqueue(new Change(channel, id, version, quantity, acknowledged));
        }
    }

    private async Task SendAsync(int index, long delta)
    {
        Interlocked.Increment(ref _sent);
        var sku = Program.Sku(index);
        try
        {
            using var response = await http.PostAsJsonAsync($"/api/v1/skus/{sku}/stock/adjustments",
                new { delta, reference = Guid.NewGuid().ToString("N") });
            var at = DateTimeOffset.UtcNow;
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
                return;
            }
            Interlocked.Increment(ref _acknowledged);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            Remember(body, at);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            _busy.TryRemove(index, out _);
        }
    }
}
