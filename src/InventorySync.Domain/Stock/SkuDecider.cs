using InventorySync.Domain.Listings;
using InventorySync.Domain.Validation;
using static InventorySync.Domain.Stock.SkuCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Stock;

/// <summary>The events a command produces, the state after them, and the answer to give once they are written.</summary>
public sealed record SkuDecision(SkuState State, IReadOnlyList<ISkuEvent> Events, SkuReply Reply);

/// <summary>
/// Every stock rule of the SKU, as pure functions: decide a command on the current state, apply the events.
/// </summary>
public static class SkuDecider
{
    /// <summary>The answer to a question about one line: its current state, or NotFound.</summary>
    public static SkuReply Reservation(SkuState state, string orderId, string lineId) =>
        state.Find(new ReservationKey(orderId, lineId)) is { } line
            ? new SkuReply(state.Sku, SkuResultCode.Ok, null, state.Levels, line)
            : new SkuReply(state.Sku, SkuResultCode.NotFound, $"SKU {state.Sku} holds no line {orderId}/{lineId}.",
                state.Levels, null);

    public static SkuDecision Decide(SkuState state, ISkuCommand command, DateTimeOffset now)
    {
        var invalid = CommandRules.Check(command);
        if (invalid is not null) return Answer(state, SkuResultCode.Invalid, invalid);

        return command switch
        {
            CountStock c => Count(state, c, now),
            AdjustStock a => Adjust(state, a, now),
            Reserve r => Reserve(state, r, now),
            CancelReservation c => Cancel(state, c, now),
            DispatchReservation d => Dispatch(state, d, now),
            ListingCommands.MapListing m => Map(state, m, now),
            ListingCommands.UnmapListing u => Unmap(state, u, now),
            ListingCommands.AcknowledgeListing a => Acknowledge(state, a, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown SKU command"),
        };
    }

    private static SkuDecision Count(SkuState state, CountStock c, DateTimeOffset now)
    {
        if (Replay(state, c.Reference, StockChangeKinds.Count, c.OnHand) is { } replay) return replay;

        var levels = state.Levels;
        var moves = new List<Reallocation>();
        var reserved = levels.Reserved;
        var backordered = levels.Backordered;
        if (c.OnHand < reserved)
        {
            var shortfall = reserved - c.OnHand;
            foreach (var r in state.Open.Values.Where(r => r.ReservedQuantity > 0).OrderByDescending(r => r.Sequence))
            {
                if (shortfall == 0) break;
                var take = Math.Min(shortfall, r.ReservedQuantity);
                moves.Add(new Reallocation(r.OrderId, r.LineId, -take));
                shortfall -= take;
            }
            var moved = reserved - c.OnHand;
            reserved -= moved;
            backordered += moved;
        }
        else
        {
            var fills = Fill(state, c.OnHand - reserved);
            moves.AddRange(fills);
            var filled = fills.Sum(f => f.Quantity);
            reserved += filled;
            backordered -= filled;
        }

        var after = new StockLevels(c.OnHand, reserved, backordered);
        var events = new List<ISkuEvent> { new StockCounted(c.Sku, c.OnHand, c.Reference, c.Source, moves, after, now) };
        var toBackorder = moves.Where(m => m.Quantity < 0).ToList();
        if (toBackorder.Count > 0)
        {
            events.Add(new OversellRecorded(c.Sku, new OversellIncident(c.Sku, OversellCauses.CountBelowReserved,
                -toBackorder.Sum(m => m.Quantity), toBackorder, null, c.Reference, now), after, now));
        }
        return Commit(state, events, null);
    }

    private static SkuDecision Adjust(SkuState state, AdjustStock a, DateTimeOffset now)
    {
        if (Replay(state, a.Reference, StockChangeKinds.Adjustment, a.Delta) is { } replay) return replay;

        var levels = state.Levels;
        var onHand = levels.OnHand + a.Delta;
        if (onHand < levels.Reserved)
        {
            var reason = $"Writing off {-a.Delta} would leave {onHand} on hand, below the {levels.Reserved} reserved; " +
                         "cancel or dispatch orders first, or send a stock count.";
            var refused = new AdjustmentRefused(a.Sku, a.Delta, a.Reference, a.Source, reason, levels, now);
            return Commit(state, [refused], null, SkuResultCode.Conflict, reason);
        }

        var fills = a.Delta > 0 ? Fill(state, onHand - levels.Reserved) : [];
        var filled = fills.Sum(f => f.Quantity);
        var after = new StockLevels(onHand, levels.Reserved + filled, levels.Backordered - filled);
        return Commit(state, [new StockAdjusted(a.Sku, a.Delta, a.Reference, a.Source, fills, after, now)], null);
    }

    private static SkuDecision Reserve(SkuState state, Reserve r, DateTimeOffset now)
    {
        var key = new ReservationKey(r.OrderId, r.LineId);
        var known = state.Open.TryGetValue(key, out var open) ? open.Close(LineState.Open)
            : state.Closed.GetValueOrDefault(key);
        if (known is not null)
        {
            return known.SameTerms(r.Quantity, r.Channel, r.AllowBackorder)
                ? Answer(state, SkuResultCode.Ok, null, known.Outcome)
                : Answer(state, SkuResultCode.Conflict,
                    $"Line {key} was already placed for {known.Outcome.Quantity} units on channel '{known.Channel}' " +
                    $"with allowBackorder={known.AllowBackorder.ToString().ToLowerInvariant()}; nothing was changed.",
                    known.Outcome);
        }

        var levels = state.Levels;
        var available = Math.Max(0, levels.Available);
        if (r.Quantity <= available)
        {
            var after = levels with { Reserved = levels.Reserved + r.Quantity };
            return Commit(state,
                [new SkuEvents.Reserved(r.Sku, r.OrderId, r.LineId, r.Quantity, r.Quantity, 0, r.Channel, r.AllowBackorder,
                    after, now)],
                key);
        }

        if (!r.AllowBackorder)
        {
            return Commit(state,
                [new ReservationRejected(r.Sku, r.OrderId, r.LineId, r.Quantity, r.Channel, levels, now)], key);
        }

        var shortfall = r.Quantity - available;
        var split = levels with { Reserved = levels.Reserved + available, Backordered = levels.Backordered + shortfall };
        var incident = new OversellIncident(r.Sku, OversellCauses.SaleBeyondStock, shortfall,
            [new Reallocation(r.OrderId, r.LineId, -shortfall)], r.Channel, r.OrderId, now);
        return Commit(state,
        [
            new SkuEvents.Reserved(r.Sku, r.OrderId, r.LineId, r.Quantity, available, shortfall, r.Channel, true, split, now),
            new OversellRecorded(r.Sku, incident, split, now),
        ], key);
    }

    private static SkuDecision Cancel(SkuState state, CancelReservation c, DateTimeOffset now)
    {
        var key = new ReservationKey(c.OrderId, c.LineId);
        if (!state.Open.TryGetValue(key, out var open))
        {
            return state.Closed.TryGetValue(key, out var closedLine) && closedLine.Outcome is var closed
                ? closed.State == LineState.Dispatched
                    ? Answer(state, SkuResultCode.Conflict, $"Line {key} was already dispatched.", closed)
                    : Answer(state, SkuResultCode.Ok, null, closed)
                : Answer(state, SkuResultCode.NotFound, $"SKU {state.Sku} holds no line {key}.");
        }

        var levels = state.Levels;
        var reserved = levels.Reserved - open.ReservedQuantity;
        var backordered = levels.Backordered - open.BackorderedQuantity;
        var withoutLine = state with { Backorders = state.Backorders.Remove(open.Sequence) };
        var fills = Fill(withoutLine, levels.OnHand - reserved);
        var filled = fills.Sum(f => f.Quantity);
        var after = new StockLevels(levels.OnHand, reserved + filled, backordered - filled);
        return Commit(state, [new ReservationCancelled(c.Sku, c.OrderId, c.LineId, fills, after, now)], key);
    }

    private static SkuDecision Dispatch(SkuState state, DispatchReservation d, DateTimeOffset now)
    {
        var key = new ReservationKey(d.OrderId, d.LineId);
        if (!state.Open.TryGetValue(key, out var open))
        {
            return state.Closed.TryGetValue(key, out var closedLine) && closedLine.Outcome is var closed
                ? closed.State == LineState.Dispatched
                    ? Answer(state, SkuResultCode.Ok, null, closed)
                    : Answer(state, SkuResultCode.Conflict,
                        $"Line {key} is {(closed.Status == LineStatus.Rejected ? "rejected" : "cancelled")}; " +
                        "it cannot be dispatched.", closed)
                : Answer(state, SkuResultCode.NotFound, $"SKU {state.Sku} holds no line {key}.");
        }

        if (open.BackorderedQuantity > 0)
        {
            return Answer(state, SkuResultCode.Conflict,
                $"Line {key} has {open.BackorderedQuantity} of {open.Quantity} units on back-order; " +
                "it can be dispatched once a receipt fills it.", open.ToOutcome(LineState.Open));
        }

        var levels = state.Levels;
        var after = levels with { OnHand = levels.OnHand - open.Quantity, Reserved = levels.Reserved - open.Quantity };
        return Commit(state, [new ReservationDispatched(d.Sku, d.OrderId, d.LineId, open.Quantity, after, now)], key);
    }

    private static SkuDecision Map(SkuState state, ListingCommands.MapListing m, DateTimeOffset now)
    {
        var invalid = ListingRules.CheckChannelId(m.Channel) ?? ListingRules.CheckListingId(m.ListingId)
                      ?? ListingRules.Check(m.Settings, m.Marketplace);
        if (invalid is not null) return Answer(state, SkuResultCode.Invalid, invalid);

        if (state.Listings.TryGetValue(new ListingKey(m.Channel, m.ListingId), out var known) &&
            known.Settings == m.Settings && known.Marketplace == m.Marketplace)
        {
            return Answer(state, SkuResultCode.Ok, null);
        }
        return Commit(state, [new ListingMapped(m.Sku, m.Channel, m.ListingId, m.Marketplace, m.Settings, state.Levels, now)],
            null);
    }

    private static SkuDecision Unmap(SkuState state, ListingCommands.UnmapListing u, DateTimeOffset now) =>
        state.Listings.ContainsKey(new ListingKey(u.Channel, u.ListingId))
            ? Commit(state, [new ListingUnmapped(u.Sku, u.Channel, u.ListingId, state.Levels, now)], null)
            : Answer(state, SkuResultCode.Ok, null);

    /// <summary>What the gateway reports is recorded once per version; older or repeated reports change nothing.</summary>
    private static SkuDecision Acknowledge(SkuState state, ListingCommands.AcknowledgeListing a, DateTimeOffset now)
    {
        if (!state.Listings.TryGetValue(new ListingKey(a.Channel, a.ListingId), out var listing))
            return Answer(state, SkuResultCode.NotFound, $"SKU {state.Sku} has no listing {a.Channel}/{a.ListingId}.");
        if (a.Version > listing.DesiredVersion)
        {
            return Answer(state, SkuResultCode.Invalid,
                $"Listing {a.Channel}/{a.ListingId} never published version {a.Version} (newest: {listing.DesiredVersion}).");
        }
        if (a.Applied)
        {
            return a.Version <= listing.SyncedVersion
                ? Answer(state, SkuResultCode.Ok, null)
                : Commit(state, [new ListingSynced(a.Sku, a.Channel, a.ListingId, a.Version, a.Quantity, a.Status,
                    a.CurrentListingId ?? listing.CurrentListingId, state.Levels, now)], null);
        }
        return a.Version <= Math.Max(listing.SyncedVersion, listing.RefusedVersion)
            ? Answer(state, SkuResultCode.Ok, null)
            : Commit(state, [new ListingRefused(a.Sku, a.Channel, a.ListingId, a.Version,
                a.Message ?? "The marketplace refused the update without a message.", state.Levels, now)], null);
    }

    /// <summary>Back-orders filled oldest first from <paramref name="free"/> units.</summary>
    private static List<Reallocation> Fill(SkuState state, long free)
    {
        var fills = new List<Reallocation>();
        foreach (var key in state.Backorders.Values)
        {
            if (free <= 0) break;
            var r = state.Open[key];
            var take = Math.Min(free, r.BackorderedQuantity);
            fills.Add(new Reallocation(r.OrderId, r.LineId, take));
            free -= take;
        }
        return fills;
    }

    private static SkuDecision? Replay(SkuState state, string reference, string kind, long value)
    {
        if (!state.References.TryGetValue(reference, out var seen)) return null;
        if (seen.Kind != kind || seen.Value != value)
        {
            return Answer(state, SkuResultCode.Conflict,
                $"Reference '{reference}' was already used for a different stock change ({seen.Kind} {seen.Value}).");
        }
        return seen.Accepted
            ? Answer(state, SkuResultCode.Ok, null)
            : Answer(state, SkuResultCode.Conflict, seen.Reason);
    }

    private static SkuDecision Commit(
        SkuState state, IReadOnlyList<ISkuEvent> events, ReservationKey? line,
        SkuResultCode code = SkuResultCode.Ok, string? detail = null)
    {
        var next = events.Aggregate(state, (s, e) => s.Apply(e));
        var outcome = line is { } key ? next.Find(key) : null;
        return new SkuDecision(next, events, new SkuReply(state.Sku, code, detail, next.Levels, outcome));
    }

    private static SkuDecision Answer(
        SkuState state, SkuResultCode code, string? detail, ReservationOutcome? line = null) =>
        new(state, [], new SkuReply(state.Sku, code, detail, state.Levels, line));
}
