namespace InventorySync.Sandbox.Common;

/// <summary>A token bucket on the injected clock: starts full, refills continuously, 0 per second is no limit.</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider clock;
    private readonly Lock sync = new();
    private RateLimitOptions limit;
    private double tokens;
    private long refilledAt;

    public TokenBucket(RateLimitOptions limit, TimeProvider clock)
    {
        this.clock = clock;
        this.limit = limit.Copy();
        tokens = limit.Burst;
        refilledAt = clock.GetTimestamp();
    }

    public RateLimitOptions Limit
    {
        get
        {
            lock (sync)
            {
                return limit.Copy();
            }
        }
    }

    /// <summary>Takes a token, or tells how long until the next one.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (sync)
        {
            retryAfter = TimeSpan.Zero;
            if (limit.PerSecond <= 0)
            {
                return true;
            }

            Refill();
            if (tokens >= 1)
            {
                tokens -= 1;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - tokens) / limit.PerSecond);
            return false;
        }
    }

    /// <summary>Changes the limit, keeping the tokens already earned up to the new burst.</summary>
    public void Reconfigure(RateLimitOptions next)
    {
        lock (sync)
        {
            var wasUnlimited = limit.PerSecond <= 0;
            Refill();
            limit = next.Copy();
            tokens = wasUnlimited ? next.Burst : Math.Min(tokens, next.Burst);
        }
    }

    private void Refill()
    {
        var now = clock.GetTimestamp();
        var elapsed = clock.GetElapsedTime(refilledAt, now);
        refilledAt = now;
        tokens = Math.Min(limit.Burst, tokens + elapsed.TotalSeconds * limit.PerSecond);
    }
}
