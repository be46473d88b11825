namespace InventorySync.Cluster.Tests.Support;

public static class Await
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> at the deadline.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
            await Task.Delay(25);
        }
    }
}
