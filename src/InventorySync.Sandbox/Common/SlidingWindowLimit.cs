namespace InventorySync.Sandbox.Common;

/// <summary>At most N admissions in any window of the given length (for limits stated as "N per 5 minutes").</summary>
internal sealed class SlidingWindowLimit(TimeProvider clock)
{
    private readonly Queue<DateTimeOffset> admitted = new();
    private readonly Lock sync = new();

    public bool TryAcquire(int max, TimeSpan window)
    {
        lock (sync)
        {
            var now = clock.GetUtcNow();
            while (admitted.Count > 0 && now - admitted.Peek() >= window)
            {
                admitted.Dequeue();
            }

            if (admitted.Count >= max)
            {
                return false;
            }

            admitted.Enqueue(now);
            return true;
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            admitted.Clear();
        }
    }
}
