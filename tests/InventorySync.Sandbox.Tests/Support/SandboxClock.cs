using Microsoft.Extensions.Time.Testing;

namespace InventorySync.Sandbox.Tests.Support;

/// <summary>The fake clock the sandbox runs on, which also tells a test when the sandbox starts waiting on it.</summary>
internal sealed class SandboxClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock sync = new();
    private TaskCompletionSource<TimeSpan>? nextTimer;

    /// <summary>Completes, with its due time, when the next timer that will fire is started (a delay, a scheduled step).</summary>
    public Task<TimeSpan> NextTimerAsync()
    {
        lock (sync)
        {
            nextTimer ??= new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            return nextTimer.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            TaskCompletionSource<TimeSpan>? waiting;
            lock (sync)
            {
                (waiting, nextTimer) = (nextTimer, null);
            }

            waiting?.TrySetResult(dueTime);
        }

        return timer;
    }
}
