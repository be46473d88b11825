namespace InventorySync.Channels.Amazon;

/// <summary>
/// The channel's rate (Amazon's token bucket: 5 per second, burst 5) counted per <c>patchListingsItem</c> call. The
/// gateway spends one token per batch; with a batch size above 1 a batch is several PATCHes, so the adapter counts
/// them itself and never waits: a PATCH without a token is not sent and comes back throttled until the next token.
/// With the default batch size of 1 the gateway's bucket (same rate, starting empty) already keeps within this one.
/// Shared by the concurrent calls of one client.
/// </summary>
internal sealed class PatchBudget(double perSecond, int burst, TimeProvider clock)
{
    private readonly Lock _sync = new();
    private double _tokens = burst;
    private DateTimeOffset _refilledAt = clock.GetUtcNow();

    /// <summary>Takes a token, or tells how long until the next one.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_sync)
        {
            var now = clock.GetUtcNow();
            if (now > _refilledAt)
            {
                _tokens = Math.Min(burst, _tokens + (now - _refilledAt).TotalSeconds * perSecond);
                _refilledAt = now;
            }
            if (_tokens >= 1)
            {
                _tokens--;
                wait = TimeSpan.Zero;
                return true;
            }
            wait = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
            return false;
        }
    }
}
