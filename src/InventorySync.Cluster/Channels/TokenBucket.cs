namespace InventorySync.Cluster.Channels;

/// <summary>
/// A token bucket driven by explicit times: refills <c>ratePerSecond</c> tokens a second up to <c>capacity</c>, one
/// token per marketplace call. It starts empty, so a gateway that just started (or moved) cannot burst.
/// </summary>
/// <remarks>
/// Not <c>System.Threading.RateLimiting.TokenBucketRateLimiter</c>: that one refills by its own stopwatch (or whole
/// periods on demand), while the gateway's bucket must follow the injected clock exactly, with fractional rates such
/// as one call a minute.
/// </remarks>
public sealed class TokenBucket
{
    // Refills are computed in floating point: a token that is due at a tick may come out a hair short of 1.
    private const double Tolerance = 1e-9;

    private readonly double _ratePerSecond;
    private readonly int _capacity;
    private double _tokens;
    private DateTimeOffset _refilledAt;

    public TokenBucket(double ratePerSecond, int capacity, DateTimeOffset startedAt)
    {
        if (!(ratePerSecond > 0) || double.IsInfinity(ratePerSecond))
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The rate must be a positive number of calls per second.");
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The burst must be at least one call.");
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _refilledAt = startedAt;
    }

    /// <summary>Tokens available at <paramref name="now"/> (fractional while refilling).</summary>
    public double Available(DateTimeOffset now)
    {
        Refill(now);
        return _tokens;
    }

    /// <summary>Takes one token if a whole one is available at <paramref name="now"/>.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens + Tolerance < 1) return false;
        _tokens = Math.Max(0, _tokens - 1);
        return true;
    }

    /// <summary>The earliest time at or after <paramref name="now"/> at which a whole token is available.</summary>
    public DateTimeOffset WhenAvailable(DateTimeOffset now)
    {
        Refill(now);
        if (_tokens + Tolerance >= 1) return now;
        var ticks = Math.Ceiling((1 - _tokens) / _ratePerSecond * TimeSpan.TicksPerSecond);
        return now + TimeSpan.FromTicks((long)ticks);
    }

    private void Refill(DateTimeOffset now)
    {
        if (now <= _refilledAt) return;
        var seconds = (double)(now - _refilledAt).Ticks / TimeSpan.TicksPerSecond;
        _tokens = Math.Min(_capacity, _tokens + seconds * _ratePerSecond);
        _refilledAt = now;
    }
}
