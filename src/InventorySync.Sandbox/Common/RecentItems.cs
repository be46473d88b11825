using System.Diagnostics.CodeAnalysis;

namespace InventorySync.Sandbox.Common;

/// <summary>A dictionary that keeps the newest <c>capacity</c> keys: adding one more forgets the oldest. Not thread-safe.</summary>
internal sealed class RecentItems<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> items = [];
    private readonly Queue<TKey> order = new();

    public void Add(TKey key, TValue value)
    {
        items.Add(key, value);
        order.Enqueue(key);
        while (order.Count > capacity)
        {
            items.Remove(order.Dequeue());
        }
    }

    /// <summary>Replaces the value of a key it still has, keeping its age.</summary>
    public bool Replace(TKey key, TValue value)
    {
        if (!items.ContainsKey(key))
        {
            return false;
        }

        items[key] = value;
        return true;
    }

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => items.TryGetValue(key, out value);

    public void Clear()
    {
        items.Clear();
        order.Clear();
    }
}
