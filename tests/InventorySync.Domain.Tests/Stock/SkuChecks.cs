using System.Text;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Tests.Stock;

/// <summary>The stock model's invariants and a canonical rendering of a state, shared by the SKU tests.</summary>
internal static class SkuChecks
{
    /// <summary>Throws (with <paramref name="context"/>) unless every invariant of the stock model holds in <paramref name="s"/>.</summary>
    public static void AssertInvariants(SkuState s, string context)
    {
        var l = s.Levels;
        Check(l.Reserved >= 0, $"reserved {l.Reserved} < 0", context);
        Check(l.Reserved <= l.OnHand, $"reserved {l.Reserved} > onHand {l.OnHand}", context);
        Check(l.Available >= 0, $"available {l.Available} < 0", context);
        Check(l.Backordered >= 0, $"backordered {l.Backordered} < 0", context);
        Check(l.IsConsistent, $"levels {l} report themselves inconsistent", context);

        var reservedSum = s.Open.Values.Sum(r => r.ReservedQuantity);
        var backorderedSum = s.Open.Values.Sum(r => r.BackorderedQuantity);
        Check(l.Reserved == reservedSum, $"levels.Reserved {l.Reserved} != sum of open ReservedQuantity {reservedSum}", context);
        Check(l.Backordered == backorderedSum,
            $"levels.Backordered {l.Backordered} != sum of open BackorderedQuantity {backorderedSum}", context);
        Check(l.Backordered == 0 || l.Available == 0,
            $"{l.Backordered} units back-ordered while {l.Available} are available", context);

        foreach (var (key, r) in s.Open)
        {
            Check(r.Key == key, $"open reservation {r.Key} is filed under {key}", context);
            Check(r.ReservedQuantity >= 0 && r.BackorderedQuantity >= 0,
                $"open {key} has negative split {r.ReservedQuantity}+{r.BackorderedQuantity}", context);
            Check(r.ReservedQuantity + r.BackorderedQuantity == r.Quantity,
                $"open {key} splits {r.Quantity} into {r.ReservedQuantity}+{r.BackorderedQuantity}", context);
            Check(r.Sequence < s.NextSequence, $"open {key} has sequence {r.Sequence} >= next {s.NextSequence}", context);
            Check(!s.Closed.ContainsKey(key), $"{key} is both open and closed", context);
        }
        Check(s.Open.Values.Select(r => r.Sequence).Distinct().Count() == s.Open.Count,
            "two open reservations share a sequence number", context);

        var expectedIndex = s.Open.Values.Where(r => r.BackorderedQuantity > 0)
            .OrderBy(r => r.Sequence).Select(r => $"{r.Sequence}:{r.Key}");
        var actualIndex = s.Backorders.Select(kv => $"{kv.Key}:{kv.Value}");
        Check(expectedIndex.SequenceEqual(actualIndex),
            $"Backorders index [{string.Join(", ", actualIndex)}] != open back-ordered reservations " +
            $"[{string.Join(", ", expectedIndex)}]", context);

        Check(s.Closed.Count <= s.Limits.ClosedReservationWindow,
            $"{s.Closed.Count} closed lines remembered, window is {s.Limits.ClosedReservationWindow}", context);
        Check(s.References.Count <= s.Limits.ReferenceWindow,
            $"{s.References.Count} references remembered, window is {s.Limits.ReferenceWindow}", context);

        foreach (var (key, x) in s.Listings)
        {
            Check(x.Key == key, $"listing {x.Key} is filed under {key}", context);
            var policy = AllocationPolicy.Desired(l.Available, x.Settings);
            Check(x.Desired == policy, $"listing {key} desires {x.Desired}, the policy gives {policy} for {l.Available} available", context);
            Check(x.DesiredVersion >= 1 && x.DesiredVersion <= s.Revision,
                $"listing {key} has version {x.DesiredVersion} outside 1..revision {s.Revision}", context);
            Check(x.SyncedVersion <= x.DesiredVersion && x.RefusedVersion <= x.DesiredVersion,
                $"listing {key} acknowledged {x.SyncedVersion}/{x.RefusedVersion} beyond its desired {x.DesiredVersion}", context);
        }
    }

    /// <summary>Everything a state holds, rendered canonically, so two states can be compared as values.</summary>
    public static string Snapshot(SkuState s)
    {
        var b = new StringBuilder();
        b.Append($"sku={s.Sku} exists={s.Exists} levels={s.Levels} next={s.NextSequence} limits={s.Limits}\n");
        foreach (var r in s.Open.Values.OrderBy(r => r.Sequence)) b.Append($"open {r}\n");
        foreach (var kv in s.Backorders) b.Append($"backorder {kv.Key}:{kv.Value}\n");
        foreach (var c in s.Closed.Values.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)) b.Append($"closed {c}\n");
        b.Append($"closedOrder [{string.Join(", ", s.ClosedOrder)}]\n");
        foreach (var r in s.References.Values.OrderBy(r => r.Reference, StringComparer.Ordinal)) b.Append($"ref {r}\n");
        b.Append($"referenceOrder [{string.Join(", ", s.ReferenceOrder)}]\n");
        b.Append($"revision {s.Revision}\n");
        foreach (var x in s.Listings.Values.OrderBy(x => x.Key.ToString(), StringComparer.Ordinal)) b.Append($"listing {x}\n");
        return b.ToString();
    }

    public static SkuState ApplyAll(SkuState s, IEnumerable<ISkuEvent> events) => events.Aggregate(s, (x, e) => x.Apply(e));

    private static void Check(bool condition, string what, string context)
    {
        if (!condition) throw new InvariantViolation($"{what} — {context}");
    }
}

internal sealed class InvariantViolation(string message) : Exception(message);
