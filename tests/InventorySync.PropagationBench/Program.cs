using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using InventorySync.Domain.Channels;
using InventorySync.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.PropagationBench;

/// <summary>
/// Propagation benchmark: a node (in this process, Release) with three channels whose marketplaces record when each
/// listing version is applied. Stock changes go in over HTTP, open loop at a fixed rate, one at a time per SKU; each
/// change's latency runs from its acknowledgement (the HTTP answer, which shows the listing's new desired version) to
/// the first call that applies that version or a newer one. Also counts calls per change, calls over each channel's
/// token bucket, and no-op updates (a value the marketplace already showed).
/// </summary>
public static class Program
{
    private sealed record Channel(string Id, string Marketplace, double Rate, int Burst, int Batch, int Listings, string Prefix);

    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        var channels = new List<Channel>
        {
            new("ebay", "ebay", 50, 18, 25, options.Skus, "E"),
            new("shopify", "shopify", 2, 2, 250, options.Everywhere ? options.Skus : options.Skus * 2 / 5, "S"),
            new("webshop", "webhook", 50, 5, 1, options.Everywhere ? options.Skus : options.Skus / 25, "W"),
        };
        var work = Directory.CreateTempSubdirectory("inventorysync-propagation-").FullName;
        var marketplaces = new RecordingMarketplaces(TimeProvider.System);
        var nodeArgs = new List<string>
        {
            "--urls", "http://127.0.0.1:0", "--Cluster:Port=0", "--Serilog:MinimumLevel:Default=Warning",
            options.PostgresConnection is { } pg
                ? "--Persistence:Provider=postgres" : "--Persistence:Provider=sqlite",
            options.PostgresConnection is { } connection
                ? $"--Persistence:ConnectionString={connection}"
                : $"--Persistence:ConnectionString=Data Source={Path.Combine(work, "inventory.db")}",
        };
        foreach (var c in channels)
        {
            nodeArgs.AddRange([
                $"--Channels:{c.Id}:Marketplace={c.Marketplace}", $"--Channels:{c.Id}:BaseUrl=http://127.0.0.1:9/unused",
                $"--Channels:{c.Id}:RateLimit:PerSecond={c.Rate.ToString(CultureInfo.InvariantCulture)}",
                $"--Channels:{c.Id}:RateLimit:Burst={c.Burst}", $"--Channels:{c.Id}:BatchSize={c.Batch}",
            ]);
        }
        var app = NodeApp.Build(nodeArgs.ToArray(), (services, settings) =>
        {
            services.AddSingleton<IMarketplaceClientFactory>(marketplaces);
            NodeApp.AddInventoryNode(services, settings);
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(http);
            Console.WriteLine($"seeding {options.Skus} SKUs with {channels.Sum(c => c.Listings)} listings");
            await SeedAsync(http, options, channels);
            await WaitDrainedAsync(http, channels, TimeSpan.FromMinutes(3));

            var run = new LoadRun(http, options, channels.Select(c => c.Id).ToList());
            await run.PrimeAsync();
            var measuredFrom = await run.RunAsync();
            await WaitDrainedAsync(http, channels, TimeSpan.FromSeconds(30));

            var diverged = await DivergedAsync(http, options, marketplaces);
            var report = Report(options, channels, run, marketplaces, measuredFrom) + Environment.NewLine +
                         (diverged.Count == 0
                             ? "After the run every listing shows its SKU's desired quantity and status."
                             : $"DIVERGED after the run ({diverged.Count}): {string.Join("; ", diverged.Take(10))}");
            Console.WriteLine(report);
            if (options.Out is { } file) await File.WriteAllTextAsync(file, report);
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task WaitReadyAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var ready = await http.GetAsync("/healthz/ready");
            if (ready.IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("The node was not ready within 60 s.");
    }

    private static async Task SeedAsync(HttpClient http, Options options, IReadOnlyList<Channel> channels)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Skus), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) =>
            {
                var sku = Sku(i);
                using (var count = await http.PutAsJsonAsync($"/api/v1/skus/{sku}/stock",
                           new { onHand = Options.StartingStock, reference = $"seed-{sku}" }, ct))
                    count.EnsureSuccessStatusCode();
                foreach (var c in channels.Where(c => i < c.Listings))
                {
                    using var map = await http.PutAsync($"/api/v1/skus/{sku}/listings/{c.Id}/{c.Prefix}-{i}",
                        new StringContent("{}", Encoding.UTF8, "application/json"), ct);
                    map.EnsureSuccessStatusCode();
                }
            });
    }

    private static async Task WaitDrainedAsync(HttpClient http, IReadOnlyList<Channel> channels, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var pending = 0;
            foreach (var c in channels)
            {
                using var stats = await http.GetAsync($"/api/v1/channels/{c.Id}");
                var json = JsonDocument.Parse(await stats.Content.ReadAsStringAsync()).RootElement;
                pending += json.GetProperty("queued").GetInt32() + json.GetProperty("inFlight").GetInt32();
            }
            if (pending == 0) return;
            await Task.Delay(200);
        }
        Console.WriteLine($"warning: updates still pending after {timeout}");
    }

    public static string Sku(int i) => $"P-{i:D5}";

    /// <summary>Listings whose marketplace does not show what their SKU desires.</summary>
    private static async Task<List<string>> DivergedAsync(HttpClient http, Options options, RecordingMarketplaces marketplaces)
    {
        var diverged = new List<string>();
        for (var i = 0; i < options.Skus; i++)
        {
            using var sku = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/skus/{Sku(i)}"));
            foreach (var listing in sku.RootElement.GetProperty("listings").EnumerateArray())
            {
                var channel = listing.GetProperty("channel").GetString()!;
                var id = listing.GetProperty("listingId").GetString()!;
                var desired = listing.GetProperty("desiredQuantity").GetInt64();
                var shown = marketplaces.Shown(channel, id);
                if (shown?.Quantity != desired) diverged.Add($"{channel}/{id}: desired {desired}, shown {shown?.Quantity.ToString() ?? "nothing"}");
            }
        }
        return diverged;
    }

    private static string Report(
        Options options, IReadOnlyList<Channel> channels, LoadRun run, RecordingMarketplaces marketplaces, DateTimeOffset from)
    {
        var b = new StringBuilder();
        b.AppendLine($"Scenario `{(options.Everywhere ? "everywhere" : "sized")}`: {options.Rate} changes/s over {options.Skus} SKUs, " +
                     $"{options.Warmup} s warm-up, {options.Duration} s measured; store {(options.PostgresConnection is null ? "SQLite" : "PostgreSQL")}.");
        b.AppendLine($"Changes sent {run.Sent} (acknowledged {run.Acknowledged}, failed {run.Failed}, skipped because the SKU was busy {run.Skipped}); " +
                     $"achieved {run.Acknowledged / (double)(options.Duration + options.Warmup):F0}/s.");
        b.AppendLine();
        b.AppendLine("| channel | limits | listings | changes | already shown | p50 ms | p90 ms | p99 ms | max ms | never in sync | calls | updates | calls/change | over the rate | most calls in 1 s (allowed) | no-op updates |");
        b.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in channels)
        {
            var all = run.Changes.Where(x => x.Channel == c.Id).ToList();
            var changes = all.Count(x => x.AckAt >= from);
            var latency = new LongHistogram(TimeSpan.FromMinutes(5).Ticks, 3);
            var unresolved = 0;
            var alreadyShown = 0;
            foreach (var listing in all.GroupBy(x => x.Listing))
            {
                foreach (var (change, inSync) in InSyncAfter(listing.OrderBy(x => x.AckAt).ToList(), marketplaces.Applied(c.Id, listing.Key)))
                {
                    if (change.AckAt < from) continue;
                    if (inSync is not { } at) unresolved++;
                    else if (at == change.AckAt) alreadyShown++;
                    else latency.RecordValue((at - change.AckAt).Ticks);
                }
            }
            var calls = marketplaces.Calls(c.Id);
            var measured = calls.Where(x => x.At >= from).ToList();
            var ms = (double p) => latency.TotalCount == 0 ? "–" : (latency.GetValueAtPercentile(p) / (double)TimeSpan.TicksPerMillisecond).ToString("F0", CultureInfo.InvariantCulture);
            b.AppendLine($"| {c.Id} ({c.Marketplace}) | {c.Rate}/s, burst {c.Burst}, batch {c.Batch} | {c.Listings} | {changes} | " +
                         $"{alreadyShown} | {ms(50)} | {ms(90)} | {ms(99)} | {ms(100)} | {unresolved} | {measured.Count} | {measured.Sum(x => x.Updates)} | " +
                         $"{(changes == 0 ? 0 : measured.Count / (double)changes):F3} | {OverTheRate(calls, c.Rate, c.Burst)} | {MostInOneSecond(calls)} ({c.Burst + c.Rate:0.#}) | {calls.Sum(x => x.NoOps)} |");
        }
        b.AppendLine();
        b.AppendLine("Latency: from the HTTP answer to a stock change (which shows the listing's new desired quantity) until the " +
                     "marketplace shows the quantity the listing should have at that moment (the change's, or a newer change's " +
                     "when one came first). Already shown: changes the marketplace showed when they were acknowledged (their " +
                     "listing came back to the value it shows, or the call landed before the HTTP answer). " +
                     "Over the rate: calls a token bucket of the channel's rate and burst could not have paid for (10 ms of clock skew forgiven). No-op " +
                     "updates: updates of a value the marketplace already showed.");
        return b.ToString();
    }

    /// <summary>
    /// For each change of one listing (in order), the first moment from its acknowledgement on at which the marketplace
    /// shows the quantity the listing should have at that moment; null if that never happens.
    /// </summary>
    private static IEnumerable<(LoadRun.Change Change, DateTimeOffset? InSync)> InSyncAfter(
        IReadOnlyList<LoadRun.Change> changes, IReadOnlyList<(long Version, long Quantity, DateTimeOffset At)> applied)
    {
        for (var k = 0; k < changes.Count; k++)
        {
            var start = changes[k].AckAt;
            long? Shown(DateTimeOffset t) => applied.LastOrDefault(a => a.At <= t) is { At: var at } last && at != default ? last.Quantity : null;
            long Desired(DateTimeOffset t) => changes.Last(x => x.AckAt <= t).Quantity;
            var moments = applied.Select(a => a.At).Concat(changes.Skip(k + 1).Select(x => x.AckAt)).Where(t => t >= start)
                .Prepend(start).Distinct().Order();
            DateTimeOffset? inSync = null;
            foreach (var t in moments)
            {
                if (Shown(t) != Desired(t)) continue;
                inSync = t;
                break;
            }
            yield return (changes[k], inSync);
        }
    }

    /// <summary>The most calls in any one-second window: a token bucket allows at most its burst plus its rate.</summary>
    private static int MostInOneSecond(IReadOnlyList<RecordingMarketplaces.Call> calls)
    {
        var times = calls.Select(c => c.At).Order().ToList();
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1)) first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    /// <summary>
    /// The recorder reads the clock when the adapter is called, which can be several milliseconds after the gateway took
    /// the token (a burst of calls made in one pump was seen spread over 6 ms): this much is forgiven. The exact bucket is
    /// checked on the gateway core itself, on a fake clock, by the gateway tests.
    /// </summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMilliseconds(10);

    /// <summary>Calls the channel's token bucket could not have paid for (bucket full at the first call, <see cref="ClockSkew"/> forgiven).</summary>
    private static int OverTheRate(IReadOnlyList<RecordingMarketplaces.Call> calls, double rate, int burst)
    {
        var over = 0;
        double tokens = burst;
        DateTimeOffset? last = null;
        foreach (var call in calls.OrderBy(c => c.At))
        {
            if (last is { } previous) tokens = Math.Min(burst, tokens + (call.At - previous).TotalSeconds * rate);
            last = call.At;
            if (tokens + rate * ClockSkew.TotalSeconds < 1) over++;
            else tokens -= 1;
        }
        return over;
    }
}
