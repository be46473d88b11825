using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace InventorySync.LoadGen;

/// <summary>
/// Load generator for the HTTP bridge: seeds stock, then sends single-line orders (or a GET baseline) over a fixed
/// number of connections, closed loop or open loop at a fixed rate, and writes throughput and latency percentiles.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }

        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = options.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };

        var workload = Workload.For(options);
        try
        {
            await workload.SeedAsync(http, options.Connections);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Seeding failed: {e.Message}");
            return 1;
        }
        if (options.SeedOnly) return 0;

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await new LoadRun(options, workload, http).RunAsync();
        result.LoadgenCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        result.CommandLine = "dotnet run -c Release --project tests/InventorySync.LoadGen -- " + string.Join(' ', args);

        Console.WriteLine(result.Summary());
        if (options.Out is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
            await File.WriteAllTextAsync(options.Out, JsonSerializer.Serialize(result, LoadResult.Json));
        }
        return result.Ok > 0 ? 0 : 1;
    }
}

public enum Scenario { Get, Hot, Spread }

/// <param name="Warmup">The shortest warm-up.</param>
/// <param name="WarmupMax">
/// With <paramref name="JitSettleMs"/>, the warm-up goes on past <paramref name="Warmup"/> until the node's JIT settles,
/// but no longer than this.
/// </param>
/// <param name="JitSettleMs">
/// The node counts as warm once its JIT compilation time (from its /metrics) grew by less than this many milliseconds
/// over the last <see cref="LoadRun.SettleWindow"/>: a fresh node recompiles ~20,000 methods in its first ~30 s under
/// load (tiered compilation), at a third of its later throughput. Null: a fixed warm-up.
/// </param>
public sealed record LoadOptions(
    Uri Url, Scenario Scenario, int Skus, int Connections, TimeSpan Duration, TimeSpan Warmup, double? Rate,
    string? Out, string SkuPrefix, TimeSpan WarmupMax = default, double? JitSettleMs = null, bool SeedOnly = false)
{
    public const string Usage =
        "usage: --url http://127.0.0.1:5080 --scenario hot|spread|get [--skus 10000] [--connections 64] " +
        "[--duration 30] [--warmup 5] [--jit-settle-ms 50 [--warmup-max 120]] [--rate N] [--sku-prefix P] [--out FILE.json] " +
        "[--seed-only true: seed the scenario's SKUs (named P-hot, or P-000000...) and exit, for another load tool]";

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Unexpected argument '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        string Get(string key, string fallback) => values.Remove(key, out var v) ? v : fallback;
        double Number(string key, double fallback)
        {
            var text = Get(key, fallback.ToString(CultureInfo.InvariantCulture));
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n : throw new ArgumentException($"--{key} must be a non-negative number, not '{text}'");
        }

        var scenario = Get("scenario", "") switch
        {
            "get" => Scenario.Get,
            "hot" => Scenario.Hot,
            "spread" => Scenario.Spread,
            var s => throw new ArgumentException($"--scenario must be get, hot or spread, not '{s}'"),
        };
        var options = new LoadOptions(
            new Uri(Get("url", "http://127.0.0.1:5080")),
            scenario,
            (int)Number("skus", 10_000),
            (int)Number("connections", 64),
            TimeSpan.FromSeconds(Number("duration", 30)),
            TimeSpan.FromSeconds(Number("warmup", 5)),
            values.ContainsKey("rate") ? Number("rate", 0) : null,
            values.ContainsKey("out") ? Get("out", "") : null,
            Get("sku-prefix", $"load-{Guid.NewGuid():N}"[..13]));
        var settle = values.ContainsKey("jit-settle-ms") ? Number("jit-settle-ms", 0) : (double?)null;
        options = options with
        {
            JitSettleMs = settle,
            SeedOnly = values.ContainsKey("seed-only") && Get("seed-only", "false") == "true",
            WarmupMax = TimeSpan.FromSeconds(Number("warmup-max", Math.Max(120, options.Warmup.TotalSeconds))),
        };
        if (values.Count > 0) throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}");
        if (options.Connections < 1 || options.Skus < 1 || options.Duration <= TimeSpan.Zero || options.Rate is <= 0)
            throw new ArgumentException("--connections, --skus, --duration and --rate must be positive");
        if (options.WarmupMax < options.Warmup) throw new ArgumentException("--warmup-max must be at least --warmup");
        return options;
    }
}

/// <summary>What one request is, per scenario; order ids are unique per run, SKUs are seeded before the run.</summary>
public sealed class Workload
{
    private const long SeedOnHand = 1_000_000_000;

    private readonly Scenario _scenario;
    private readonly string[] _skus;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];

    private Workload(Scenario scenario, string[] skus)
    {
        _scenario = scenario;
        _skus = skus;
    }

    public static Workload For(LoadOptions options) => options.Scenario switch
    {
        Scenario.Get => new Workload(Scenario.Get, []),
        Scenario.Hot => new Workload(Scenario.Hot, [$"{options.SkuPrefix}-hot"]),
        _ => new Workload(Scenario.Spread,
            Enumerable.Range(0, options.Skus).Select(i => $"{options.SkuPrefix}-{i:D6}").ToArray()),
    };

    /// <summary>Sets every SKU's stock so high that no order is rejected for lack of stock.</summary>
    public async Task SeedAsync(HttpClient http, int parallelism)
    {
        if (_skus.Length == 0) return;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(_skus, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (sku, ct) =>
        {
            var body = $$"""{"onHand":{{SeedOnHand}},"reference":"seed-{{_runId}}-{{sku}}"}""";
            using var response = await http.PutAsync($"/api/v1/skus/{sku}/stock", JsonBody(body), ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException(
                    $"PUT stock of {sku}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        });
        Console.Error.WriteLine($"seeded {_skus.Length} SKU(s) with onHand {SeedOnHand} in {watch.Elapsed.TotalSeconds:F1} s");
    }

    public HttpRequestMessage Request(int worker, long sequence, Random random)
    {
        if (_scenario == Scenario.Get) return new HttpRequestMessage(HttpMethod.Get, "/healthz/live");
        var sku = _skus.Length == 1 ? _skus[0] : _skus[random.Next(_skus.Length)];
        var body = $$"""{"orderId":"{{_runId}}-{{worker}}-{{sequence}}","channel":"loadgen","lines":[{"lineId":"1","sku":"{{sku}}","quantity":1}]}""";
        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonBody(body) };
    }

    private static ByteArrayContent JsonBody(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>
/// Closed loop (no rate): each connection sends its next request as soon as the previous one is answered.
/// Open loop (a rate): request i is due at start + i / rate, whatever happened before; its latency runs from that
/// due time, so a stalled server shows in the percentiles instead of silently slowing the sender down.
/// </summary>
public sealed class LoadRun(LoadOptions options, Workload workload, HttpClient http)
{
    private static readonly byte[] RejectedMarker = "\"rejected\""u8.ToArray();
    private static readonly byte[] BackorderedMarker = "\"backordered\""u8.ToArray();
    private const long HighestMicros = 60_000_000;

    /// <summary>The span over which the node's JIT growth is judged while waiting for it to settle.</summary>
    public static readonly TimeSpan SettleWindow = TimeSpan.FromSeconds(5);

    private const string JitMetric = "system_runtime_dotnet_jit_compilation_time";

    // Its own connection: the load's connections are all busy in a closed loop.
    private readonly HttpClient _metrics = new() { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
    private long _nextIndex = -1;

    // The measured window, decided once the warm-up ends (the workers read it on every request).
    private long _measureFrom = long.MaxValue;
    private long _end = long.MaxValue;

    public async Task<LoadResult> RunAsync()
    {
        var start = Stopwatch.GetTimestamp();
        var wallAtStart = DateTimeOffset.UtcNow;
        var workers = Enumerable.Range(0, options.Connections)
            .Select(w => Task.Run(() => WorkAsync(w, start)))
            .ToArray();

        var jitAtStart = await NodeJitSeconds();
        await WarmUp(start);
        var measureFrom = Stopwatch.GetTimestamp();
        var jitAtMeasure = await NodeJitSeconds();
        Volatile.Write(ref _end, measureFrom + Ticks(options.Duration));
        Volatile.Write(ref _measureFrom, measureFrom);
        var end = _end;

        var stats = await Task.WhenAll(workers);
        var measured = Stopwatch.GetElapsedTime(measureFrom, Math.Max(end, Stopwatch.GetTimestamp()));
        var jitAtEnd = await NodeJitSeconds();

        var histogram = new LongHistogram(HighestMicros, 3);
        foreach (var s in stats) histogram.Add(s.Latencies);
        return new LoadResult
        {
            Scenario = options.Scenario.ToString().ToLowerInvariant(),
            Mode = options.Rate is null ? "closed" : "open",
            Url = options.Url.ToString(),
            Connections = options.Connections,
            Skus = options.Scenario switch { Scenario.Get => 0, Scenario.Hot => 1, _ => options.Skus },
            WarmupSeconds = Math.Round(Stopwatch.GetElapsedTime(start, measureFrom).TotalSeconds, 1),
            NodeJitSecondsWarmup = jitAtMeasure - jitAtStart,
            NodeJitSecondsMeasured = jitAtEnd - jitAtMeasure,
            DurationSeconds = options.Duration.TotalSeconds,
            MeasuredSeconds = measured.TotalSeconds,
            TargetRate = options.Rate,
            Requests = stats.Sum(s => s.Requests),
            Ok = stats.Sum(s => s.Ok),
            OkPerSecond = stats.Sum(s => s.Ok) / measured.TotalSeconds,
            Non200 = stats.SelectMany(s => s.Non200).GroupBy(kv => kv.Key)
                .ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Sum(kv => kv.Value)),
            Exceptions = stats.Sum(s => s.Exceptions),
            FirstNon200 = stats.Select(s => s.FirstNon200).FirstOrDefault(e => e is not null),
            FirstException = stats.Select(s => s.FirstException).FirstOrDefault(e => e is not null),
            RejectedOrBackordered = stats.Sum(s => s.RejectedOrBackordered),
            LatencyMs = LatencySummary.From(histogram),
            Timeline = Enumerable.Range(0, stats.Max(s => s.Seconds.Count))
                .Select(second => stats.Where(s => s.Seconds.Count > second).Select(s => s.Seconds[second]).ToList())
                .Select((perWorker, second) => new TimelineEntry(
                    second, perWorker.Sum(s => s.Ok),
                    Math.Round(perWorker.Max(s => s.MaxMicros) / 1000.0, 3)))
                .ToList(),
            Stalls = Stall.Find(stats.Select(s => s.Slow), bucket =>
                wallAtStart + Stopwatch.GetElapsedTime(start, measureFrom) + bucket * Stall.Bucket),
            StartedAt = wallAtStart,
        };
    }

    /// <summary>
    /// Returns after the minimum warm-up; with a JIT settle threshold, once the node's JIT compilation time grows less
    /// than that over <see cref="SettleWindow"/> (or the longest warm-up has passed).
    /// </summary>
    private async Task WarmUp(long start)
    {
        await Task.Delay(options.Warmup);
        if (options.JitSettleMs is not { } threshold) return;
        var window = new Queue<(long At, double? Jit)>();
        window.Enqueue((Stopwatch.GetTimestamp(), await NodeJitSeconds()));
        while (Stopwatch.GetElapsedTime(start) < options.WarmupMax)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = (At: Stopwatch.GetTimestamp(), Jit: await NodeJitSeconds());
            window.Enqueue(now);
            while (Stopwatch.GetElapsedTime(window.Peek().At, now.At) > SettleWindow) window.Dequeue();
            var oldest = window.Peek();
            if (Stopwatch.GetElapsedTime(oldest.At, now.At) < SettleWindow - TimeSpan.FromSeconds(1.5)) continue;
            if (now.Jit is null || oldest.Jit is null) return; // the node does not publish it: nothing to wait for
            var grewMs = (now.Jit.Value - oldest.Jit.Value) * 1000;
            Console.Error.WriteLine($"warm-up {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s: node JIT +{grewMs:F0} ms in the last {Stopwatch.GetElapsedTime(oldest.At, now.At).TotalSeconds:F0} s");
            if (grewMs < threshold) return;
        }
        Console.Error.WriteLine($"warm-up: the node's JIT did not settle within {options.WarmupMax.TotalSeconds:F0} s; measuring anyway");
    }

    /// <summary>The node's JIT compilation time so far (seconds) from its /metrics, or null when it does not say.</summary>
    private async Task<double?> NodeJitSeconds()
    {
        try
        {
            var text = await _metrics.GetStringAsync("/metrics");
            foreach (var line in text.AsSpan().EnumerateLines())
            {
                if (!line.StartsWith(JitMetric) || line.Length <= JitMetric.Length || line[JitMetric.Length] != ' ') continue;
                return double.Parse(line[(JitMetric.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
        }
        return null;
    }

    private async Task<WorkerStats> WorkAsync(int worker, long start)
    {
        var stats = new WorkerStats();
        var random = new Random(worker * 7919 + Environment.TickCount);
        var interval = options.Rate is { } rate ? Stopwatch.Frequency / rate : 0;
        long sequence = 0;

        while (true)
        {
            long due;
            var end = Volatile.Read(ref _end);
            if (options.Rate is null)
            {
                due = Stopwatch.GetTimestamp();
                if (due >= end) break;
            }
            else
            {
                var index = Interlocked.Increment(ref _nextIndex);
                due = start + (long)(index * interval);
                if (due >= end) break;
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            }

            var measureFrom = Volatile.Read(ref _measureFrom);
            var measured = due >= measureFrom;
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var request = workload.Request(worker, sequence++, random);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                var body = await response.Content.ReadAsByteArrayAsync();
                var done = Stopwatch.GetTimestamp();
                if (!measured) continue;
                stats.Requests++;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    stats.Ok++;
                    // From the due time, or from the real send when the timer woke a little early.
                    var micros = (done - Math.Min(due, sent)) * 1_000_000 / Stopwatch.Frequency;
                    stats.Latencies.RecordValue(Math.Min(micros, HighestMicros));
                    stats.Second((int)((done - measureFrom) / Stopwatch.Frequency)).Record(micros);
                    if (micros > Stall.ThresholdMicros)
                        stats.RecordSlow((int)((Math.Min(due, sent) - measureFrom) / Ticks(Stall.Bucket)), micros);
                    if (body.AsSpan().IndexOf(RejectedMarker) >= 0 || body.AsSpan().IndexOf(BackorderedMarker) >= 0)
                        stats.RejectedOrBackordered++;
                }
                else
                {
                    stats.Non200[(int)response.StatusCode] = stats.Non200.GetValueOrDefault((int)response.StatusCode) + 1;
                    stats.FirstNon200 ??= $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500))}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (!measured) continue;
                stats.Requests++;
                stats.Exceptions++;
                stats.FirstException ??= e.GetBaseException().Message;
            }
        }
        return stats;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class WorkerStats
    {
        private readonly List<SecondStats> _seconds = [];

        /// <summary>Answers completed in the given second of the measured window (0-based).</summary>
        public SecondStats Second(int second)
        {
            while (_seconds.Count <= second) _seconds.Add(new SecondStats());
            return _seconds[Math.Max(second, 0)];
        }

        public IReadOnlyList<SecondStats> Seconds => _seconds;

        /// <summary>Answers slower than <see cref="Stall.ThresholdMicros"/> per <see cref="Stall.Bucket"/> of due time: count and slowest.</summary>
        public Dictionary<int, (int Count, long MaxMicros)> Slow { get; } = [];

        public void RecordSlow(int bucket, long micros)
        {
            var (count, max) = Slow.GetValueOrDefault(bucket);
            Slow[bucket] = (count + 1, Math.Max(max, micros));
        }

        public LongHistogram Latencies { get; } = new(HighestMicros, 3);
        public long Requests;
        public long Ok;
        public long Exceptions;
        public long RejectedOrBackordered;
        public string? FirstException;
        public string? FirstNon200;
        public Dictionary<int, long> Non200 { get; } = [];
    }
}

public sealed class SecondStats
{
    public long Ok { get; private set; }
    public long MaxMicros { get; private set; }

    public void Record(long micros)
    {
        Ok++;
        MaxMicros = Math.Max(MaxMicros, micros);
    }
}

public sealed record TimelineEntry(int Second, long Ok, double MaxMs);

/// <summary>
/// A stall: a stretch of due time whose requests were answered in more than <see cref="ThresholdMicros"/> (the
/// p99 target), with the UTC times to line up against the node's and the database's logs.
/// </summary>
public sealed record Stall(DateTimeOffset DueFrom, DateTimeOffset DueTo, int SlowAnswers, double MaxMs)
{
    public const long ThresholdMicros = 50_000;
    public static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(100);

    /// <summary>Merges the workers' slow buckets; neighbouring buckets (one empty bucket between allowed) form one stall.</summary>
    public static List<Stall> Find(IEnumerable<Dictionary<int, (int Count, long MaxMicros)>> perWorker, Func<int, DateTimeOffset> bucketStart)
    {
        var buckets = perWorker.SelectMany(worker => worker)
            .GroupBy(slow => slow.Key, slow => slow.Value)
            .Select(g => (Bucket: g.Key, Count: g.Sum(s => s.Count), MaxMicros: g.Max(s => s.MaxMicros)))
            .OrderBy(b => b.Bucket);
        var stalls = new List<List<(int Bucket, int Count, long MaxMicros)>>();
        foreach (var bucket in buckets)
        {
            if (stalls.Count == 0 || bucket.Bucket > stalls[^1][^1].Bucket + 2) stalls.Add([]);
            stalls[^1].Add(bucket);
        }
        return stalls.Select(s => new Stall(bucketStart(s[0].Bucket), bucketStart(s[^1].Bucket + 1),
            s.Sum(b => b.Count), Math.Round(s.Max(b => b.MaxMicros) / 1000.0, 1))).ToList();
    }
}

public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary From(LongHistogram micros)
    {
        if (micros.TotalCount == 0) return new LatencySummary(0, 0, 0, 0, 0, 0);
        double Ms(long value) => Math.Round(value / 1000.0, 3);
        return new LatencySummary(
            Ms(micros.GetValueAtPercentile(50)), Ms(micros.GetValueAtPercentile(90)),
            Ms(micros.GetValueAtPercentile(99)), Ms(micros.GetValueAtPercentile(99.9)),
            Ms(micros.GetMaxValue()), Math.Round(micros.GetMean() / 1000.0, 3));
    }
}

public sealed class LoadResult
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Scenario { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Url { get; init; } = "";
    public int Connections { get; init; }
    public int Skus { get; init; }
    /// <summary>How long the warm-up ran (with a JIT settle threshold, until the node's JIT settled).</summary>
    public double WarmupSeconds { get; init; }
    /// <summary>The node's JIT compilation seconds during the warm-up and during the measured window (null: not published).</summary>
    public double? NodeJitSecondsWarmup { get; init; }
    public double? NodeJitSecondsMeasured { get; init; }
    public double DurationSeconds { get; init; }
    public double MeasuredSeconds { get; init; }
    public double? TargetRate { get; init; }
    public long Requests { get; init; }
    public long Ok { get; init; }
    public double OkPerSecond { get; init; }
    public Dictionary<string, long> Non200 { get; init; } = [];
    public string? FirstNon200 { get; init; }
    public long Exceptions { get; init; }
    public string? FirstException { get; init; }
    public long RejectedOrBackordered { get; init; }
    public LatencySummary LatencyMs { get; init; } = new(0, 0, 0, 0, 0, 0);
    /// <summary>Per second of the measured window: answers completed and the slowest of them, to show stalls.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
    /// <summary>Stretches of the measured window whose requests took over 50 ms, by due time.</summary>
    public IReadOnlyList<Stall> Stalls { get; init; } = [];
    /// <summary>UTC time the run started (the warm-up's start).</summary>
    public DateTimeOffset StartedAt { get; init; }
    public double LoadgenCpuSeconds { get; set; }
    public string CommandLine { get; set; } = "";

    public string Summary() =>
        $"{Scenario} {Mode}{(TargetRate is { } r ? $" @{r:F0}/s" : "")} c={Connections} skus={Skus}: " +
        $"{OkPerSecond:F0} ok/s over {MeasuredSeconds:F1} s, latency ms p50 {LatencyMs.P50} p90 {LatencyMs.P90} " +
        $"p99 {LatencyMs.P99} p99.9 {LatencyMs.P999} max {LatencyMs.Max}, " +
        $"non-200 {Non200.Values.Sum()}, exceptions {Exceptions}, rejected/backordered {RejectedOrBackordered}, " +
        $"loadgen cpu {LoadgenCpuSeconds:F1} s, warm-up {WarmupSeconds} s (node JIT {NodeJitSecondsWarmup:F2} s, " +
        $"then {NodeJitSecondsMeasured:F2} s measured)" +
        (FirstNon200 is null ? "" : $"\n  first non-200: {FirstNon200}") +
        (FirstException is null ? "" : $"\n  first exception: {FirstException}");
}
