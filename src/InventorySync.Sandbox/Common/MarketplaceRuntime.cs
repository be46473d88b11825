using System.Collections.ObjectModel;
using System.Security.Cryptography;
using System.Text;

namespace InventorySync.Sandbox.Common;

/// <summary>The settings a marketplace runs with, as the control API shows and changes them.</summary>
public sealed record SandboxSettings(
    double LatencyMs,
    double LatencyJitterMs,
    double TimeScale,
    IReadOnlyDictionary<string, RateLimitOptions> RateLimits);

/// <summary>A change of settings: only the fields given change.</summary>
public sealed record SandboxSettingsUpdate(
    double? LatencyMs,
    double? LatencyJitterMs,
    double? TimeScale,
    IReadOnlyDictionary<string, RateLimitOptions>? RateLimits);

/// <summary>
/// What every marketplace of the sandbox runs on: its clock, rate limits, latency, time scale, access check, scripted
/// faults and update log. Latency, time scale and rate limits can change at run time.
/// </summary>
internal sealed class MarketplaceRuntime
{
    private readonly IReadOnlyDictionary<string, TokenBucket> rateLimits;
    private readonly byte[]? accessToken;
    private readonly CancellationToken stopping;
    private readonly Lock sync = new();
    private TimeSpan latency;
    private TimeSpan latencyJitter;
    private double timeScale;

    public MarketplaceRuntime(
        MarketplaceSandboxOptions options,
        IReadOnlyDictionary<string, RateLimitOptions> rateLimits,
        TimeProvider clock,
        CancellationToken stopping)
    {
        Clock = clock;
        Log = new UpdateLog(clock, options.LogCapacity);
        this.rateLimits = rateLimits.ToDictionary(
            limit => limit.Key, limit => new TokenBucket(limit.Value, clock), StringComparer.OrdinalIgnoreCase);
        accessToken = options.AccessToken is null ? null : Encoding.UTF8.GetBytes(options.AccessToken);
        this.stopping = stopping;
        latency = options.Latency;
        latencyJitter = options.LatencyJitter;
        timeScale = options.TimeScale;
    }

    public TimeProvider Clock { get; }

    public UpdateLog Log { get; }

    public FaultScript Faults { get; } = new();

    /// <summary>A non-empty token, equal to the configured one when there is one.</summary>
    public bool Accepts(string? token) =>
        !string.IsNullOrEmpty(token)
        && (accessToken is null || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), accessToken));

    public bool TryTake(string? rateLimit, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return rateLimit is null || rateLimits[rateLimit].TryTake(out retryAfter);
    }

    public RateLimitOptions RateLimit(string name) => rateLimits[name].Limit;

    /// <summary>A minute- or hour-scale duration as it passes here: divided by the time scale.</summary>
    public TimeSpan Scaled(TimeSpan duration)
    {
        lock (sync)
        {
            return duration / timeScale;
        }
    }

    /// <summary>Waits out the configured latency.</summary>
    public Task DelayAsync(CancellationToken requestAborted)
    {
        TimeSpan delay;
        lock (sync)
        {
            delay = latency + latencyJitter * Random.Shared.NextDouble();
        }

        return delay > TimeSpan.Zero ? Task.Delay(delay, Clock, requestAborted) : Task.CompletedTask;
    }

    /// <summary>Holds a call open until the client gives up or the host stops.</summary>
    public async Task HangAsync(CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, Clock, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the host is stopping): that is the end of the timeout.
        }
    }

    public SandboxSettings Settings()
    {
        lock (sync)
        {
            return new SandboxSettings(
                latency.TotalMilliseconds,
                latencyJitter.TotalMilliseconds,
                timeScale,
                rateLimits.ToDictionary(limit => limit.Key, limit => limit.Value.Limit));
        }
    }

    /// <summary>Applies the update, or changes nothing and tells what is wrong with it.</summary>
    public string? Update(SandboxSettingsUpdate update)
    {
        var problems = new List<string>();
        if (update.LatencyMs < 0 || update.LatencyJitterMs < 0)
        {
            problems.Add("latencyMs and latencyJitterMs cannot be negative.");
        }

        if (update.TimeScale is not null && !(update.TimeScale > 0))
        {
            problems.Add("timeScale must be greater than 0.");
        }

        foreach (var (name, limit) in update.RateLimits ?? ReadOnlyDictionary<string, RateLimitOptions>.Empty)
        {
            problems.AddRange(rateLimits.ContainsKey(name)
                ? limit.Problems(name)
                : [$"There is no rate limit '{name}': there are {string.Join(", ", rateLimits.Keys)}."]);
        }

        if (problems.Count > 0)
        {
            return string.Join(" ", problems);
        }

        lock (sync)
        {
            latency = update.LatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : latency;
            latencyJitter = update.LatencyJitterMs is { } jitterMs ? TimeSpan.FromMilliseconds(jitterMs) : latencyJitter;
            timeScale = update.TimeScale ?? timeScale;
        }

        foreach (var (name, limit) in update.RateLimits ?? ReadOnlyDictionary<string, RateLimitOptions>.Empty)
        {
            rateLimits[name].Reconfigure(limit);
        }

        return null;
    }
}
