using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Tests.Stock;

/// <summary>
/// An independent statement of what each command must do to the stock model (DESIGN.md "Stock model"), checked
/// against one decision: the events it emits, the levels after it, and the answer it gives.
/// </summary>
internal static class SkuRules
{
    public static void AssertDecisionFollowsTheRules(SkuState prior, ISkuCommand command, SkuDecision d, string ctx)
    {
        var before = prior.Levels;
        var after = d.State.Levels;
        var events = d.Events;
        var reply = d.Reply;
        That(reply.Code != SkuResultCode.Invalid || command is ListingCommands.AcknowledgeListing,
            "a valid command was answered Invalid", ctx);

        switch (command)
        {
            case CountStock c when prior.References.TryGetValue(c.Reference, out var seen):
                That(events.Count == 0, "a known reference emitted events", ctx);
                That(reply.Code == (seen.Kind == StockChangeKinds.Count && seen.Value == c.OnHand && seen.Accepted
                    ? SkuResultCode.Ok : SkuResultCode.Conflict), $"known reference {seen} answered {reply.Code}", ctx);
                break;

            case CountStock c:
            {
                That(reply.Code == SkuResultCode.Ok, "a stock count was not accepted", ctx);
                That(events.Count >= 1 && events[0] is StockCounted, "a stock count did not emit StockCounted first", ctx);
                var counted = (StockCounted)events[0];
                That(after.OnHand == c.OnHand, $"onHand {after.OnHand} after counting {c.OnHand}", ctx);
                That(after.Reserved + after.Backordered == before.Reserved + before.Backordered,
                    "a stock count changed the total demand", ctx);
                if (c.OnHand < before.Reserved)
                {
                    var shortfall = before.Reserved - c.OnHand;
                    var expected = NewestFirst(prior, shortfall);
                    That(counted.Reallocations.SequenceEqual(expected),
                        $"count moved [{string.Join(", ", counted.Reallocations)}] to back-order, expected the newest " +
                        $"[{string.Join(", ", expected)}]", ctx);
                    That(events.Count == 2 && events[1] is OversellRecorded
                        {
                            Incident: { Cause: OversellCauses.CountBelowReserved } incident,
                        } && incident.BackorderedQuantity == shortfall && incident.Reference == c.Reference
                          && incident.Lines.SequenceEqual(expected),
                        $"count below reserved must record a count-below-reserved incident of {shortfall}", ctx);
                    That(after.Reserved == c.OnHand, $"reserved {after.Reserved} after counting {c.OnHand} below it", ctx);
                }
                else
                {
                    That(events.Count == 1, "a count at or above reserved recorded an incident", ctx);
                    var expected = OldestFirst(prior, c.OnHand - before.Reserved, except: null);
                    That(counted.Reallocations.SequenceEqual(expected),
                        $"count filled [{string.Join(", ", counted.Reallocations)}], expected oldest first " +
                        $"[{string.Join(", ", expected)}]", ctx);
                }
                break;
            }

            case AdjustStock a when prior.References.TryGetValue(a.Reference, out var seen):
                That(events.Count == 0, "a known reference emitted events", ctx);
                That(reply.Code == (seen.Kind == StockChangeKinds.Adjustment && seen.Value == a.Delta && seen.Accepted
                    ? SkuResultCode.Ok : SkuResultCode.Conflict), $"known reference {seen} answered {reply.Code}", ctx);
                break;

            case AdjustStock a when before.OnHand + a.Delta < before.Reserved:
                That(reply.Code == SkuResultCode.Conflict, "a write-off below reserved was accepted", ctx);
                That(events is [AdjustmentRefused], "a refused write-off must be recorded as AdjustmentRefused", ctx);
                That(after == before && prior.Open == d.State.Open, "a refused write-off changed the stock", ctx);
                break;

            case AdjustStock a:
            {
                That(reply.Code == SkuResultCode.Ok && events is [StockAdjusted], "an adjustment was not accepted", ctx);
                That(after.OnHand == before.OnHand + a.Delta, $"onHand {before.OnHand} + {a.Delta} gave {after.OnHand}", ctx);
                var expected = a.Delta > 0 ? OldestFirst(prior, after.OnHand - before.Reserved, except: null) : [];
                var fills = ((StockAdjusted)events[0]).Reallocations;
                That(fills.SequenceEqual(expected),
                    $"adjustment filled [{string.Join(", ", fills)}], expected oldest first [{string.Join(", ", expected)}]", ctx);
                break;
            }

            case Reserve r when prior.Find(new(r.OrderId, r.LineId)) is { } known:
                That(events.Count == 0, "a known line was reserved again", ctx);
                That(reply.Line == known, $"a known line answered {reply.Line}, it is {known}", ctx);
                var (channel, allowBackorder) = prior.Open.TryGetValue(new(r.OrderId, r.LineId), out var knownOpen)
                    ? (knownOpen.Channel, knownOpen.AllowBackorder)
                    : (prior.Closed[new(r.OrderId, r.LineId)].Channel, prior.Closed[new(r.OrderId, r.LineId)].AllowBackorder);
                var same = known.Quantity == r.Quantity && channel == r.Channel && allowBackorder == r.AllowBackorder;
                That(reply.Code == (same ? SkuResultCode.Ok : SkuResultCode.Conflict),
                    $"a known line of {known.Quantity} on {channel} (allowBackorder {allowBackorder}) asked for " +
                    $"{r.Quantity} on {r.Channel} (allowBackorder {r.AllowBackorder}) answered {reply.Code}", ctx);
                break;

            case Reserve r:
            {
                That(reply.Code == SkuResultCode.Ok, "a new line was not answered Ok", ctx);
                var available = before.Available;
                var line = reply.Line;
                if (r.Quantity <= available)
                {
                    That(events is [Reserved { ReservedQuantity: var rq, BackorderedQuantity: 0 }] && rq == r.Quantity,
                        "a reservation that fits must be reserved in full", ctx);
                    That(after == before with { Reserved = before.Reserved + r.Quantity }, $"levels {before} → {after}", ctx);
                    That(line == new ReservationOutcome(r.OrderId, r.LineId, r.Quantity, LineStatus.Reserved, LineState.Open,
                        r.Quantity, 0), $"line answered {line}", ctx);
                }
                else if (!r.AllowBackorder)
                {
                    That(events is [ReservationRejected], "a reservation that does not fit must be rejected", ctx);
                    That(after == before && prior.Open == d.State.Open && prior.Backorders == d.State.Backorders,
                        "a rejected reservation changed the stock", ctx);
                    That(line == new ReservationOutcome(r.OrderId, r.LineId, r.Quantity, LineStatus.Rejected,
                        LineState.Cancelled, 0, 0), $"line answered {line}", ctx);
                }
                else
                {
                    var shortfall = r.Quantity - available;
                    That(events is [Reserved { BackorderedQuantity: var bq, ReservedQuantity: var rq },
                            OversellRecorded { Incident: { Cause: OversellCauses.SaleBeyondStock } incident }]
                         && bq == shortfall && rq == available && incident.BackorderedQuantity == shortfall
                         && incident.Channel == r.Channel
                         && incident.Lines.SequenceEqual([new Reallocation(r.OrderId, r.LineId, -shortfall)]),
                        "a back-order must reserve what is available and record a sale-beyond-stock incident for the rest", ctx);
                    That(after == new StockLevels(before.OnHand, before.Reserved + available, before.Backordered + shortfall),
                        $"levels {before} → {after}", ctx);
                    That(line == new ReservationOutcome(r.OrderId, r.LineId, r.Quantity, LineStatus.Backordered,
                        LineState.Open, available, shortfall), $"line answered {line}", ctx);
                }
                break;
            }

            case CancelReservation c when prior.Open.TryGetValue(new(c.OrderId, c.LineId), out var open):
            {
                That(reply.Code == SkuResultCode.Ok && events is [ReservationCancelled], "an open line was not cancelled", ctx);
                That(after.OnHand == before.OnHand, "a cancel changed onHand", ctx);
                var released = before.Reserved - open.ReservedQuantity;
                var expected = OldestFirst(prior, before.OnHand - released, except: open.Key);
                var fills = ((ReservationCancelled)events[0]).Reallocations;
                That(fills.SequenceEqual(expected),
                    $"cancel filled [{string.Join(", ", fills)}], expected oldest first [{string.Join(", ", expected)}]", ctx);
                That(after.Reserved + after.Backordered == before.Reserved + before.Backordered - open.Quantity,
                    "a cancel did not release exactly the line's units", ctx);
                That(reply.Line == open.ToOutcome(LineState.Cancelled), $"cancel answered {reply.Line}", ctx);
                break;
            }

            case CancelReservation c:
            {
                That(events.Count == 0, "cancelling a line that is not open emitted events", ctx);
                var closed = prior.Closed.GetValueOrDefault(new(c.OrderId, c.LineId))?.Outcome;
                var code = closed is null ? SkuResultCode.NotFound
                    : closed.State == LineState.Dispatched ? SkuResultCode.Conflict : SkuResultCode.Ok;
                That(reply.Code == code, $"cancel of {closed?.ToString() ?? "an unknown line"} answered {reply.Code}", ctx);
                break;
            }

            case DispatchReservation x when prior.Open.TryGetValue(new(x.OrderId, x.LineId), out var open):
                if (open.BackorderedQuantity > 0)
                {
                    That(reply.Code == SkuResultCode.Conflict && events.Count == 0,
                        "a line with back-ordered units must not be dispatched", ctx);
                }
                else
                {
                    That(reply.Code == SkuResultCode.Ok && events is [ReservationDispatched], "a reserved line was not dispatched", ctx);
                    That(after == new StockLevels(before.OnHand - open.Quantity, before.Reserved - open.Quantity, before.Backordered),
                        $"dispatch of {open.Quantity}: levels {before} → {after}", ctx);
                    That(reply.Line == open.ToOutcome(LineState.Dispatched), $"dispatch answered {reply.Line}", ctx);
                }
                break;

            case DispatchReservation x:
            {
                That(events.Count == 0, "dispatching a line that is not open emitted events", ctx);
                var closed = prior.Closed.GetValueOrDefault(new(x.OrderId, x.LineId))?.Outcome;
                var code = closed is null ? SkuResultCode.NotFound
                    : closed.State == LineState.Dispatched ? SkuResultCode.Ok : SkuResultCode.Conflict;
                That(reply.Code == code, $"dispatch of {closed?.ToString() ?? "an unknown line"} answered {reply.Code}", ctx);
                break;
            }

            case ListingCommands.MapListing or ListingCommands.UnmapListing or ListingCommands.AcknowledgeListing:
                That(after == before, $"a listing command changed the levels {before} → {after}", ctx);
                ListingRulesHold(prior, command, d, ctx);
                break;
        }
    }

    private static void ListingRulesHold(SkuState prior, ISkuCommand command, SkuDecision d, string ctx)
    {
        switch (command)
        {
            case ListingCommands.MapListing m:
            {
                var listing = d.State.Listings[new(m.Channel, m.ListingId)];
                That(listing.Settings == m.Settings && listing.Marketplace == m.Marketplace, "mapping kept old settings", ctx);
                var known = prior.Listings.GetValueOrDefault(new(m.Channel, m.ListingId));
                That(listing.SyncedVersion == (known?.SyncedVersion ?? 0),
                    "re-mapping lost what the marketplace acknowledged", ctx);
                That(d.Events.Count == (known is not null && known.Settings == m.Settings && known.Marketplace == m.Marketplace ? 0 : 1),
                    $"mapping emitted {d.Events.Count} events", ctx);
                break;
            }
            case ListingCommands.UnmapListing u:
                That(!d.State.Listings.ContainsKey(new(u.Channel, u.ListingId)), "an unmapped listing is still there", ctx);
                That(d.Events.Count == (prior.Listings.ContainsKey(new(u.Channel, u.ListingId)) ? 1 : 0),
                    "unmapping emitted the wrong number of events", ctx);
                break;
            case ListingCommands.AcknowledgeListing a:
            {
                var known = prior.Listings.GetValueOrDefault(new(a.Channel, a.ListingId));
                if (known is null || a.Version > known.DesiredVersion)
                {
                    That(d.Events.Count == 0 && d.Reply.Code != SkuResultCode.Ok,
                        "an acknowledgement of an unknown listing or an unsent version was accepted", ctx);
                    break;
                }
                var newer = a.Applied ? a.Version > known.SyncedVersion : a.Version > Math.Max(known.SyncedVersion, known.RefusedVersion);
                That(d.Events.Count == (newer ? 1 : 0), $"acknowledgement of {a.Version} emitted {d.Events.Count} events", ctx);
                var after = d.State.Listings[new(a.Channel, a.ListingId)];
                That(after.SyncedVersion == (a.Applied ? Math.Max(known.SyncedVersion, a.Version) : known.SyncedVersion),
                    $"synced version {known.SyncedVersion} → {after.SyncedVersion} after {a}", ctx);
                if (a.Applied && newer)
                    That(after.PublishedQuantity == a.Quantity && after.PublishedStatus == a.Status,
                        "an applied acknowledgement did not record what the marketplace shows", ctx);
                break;
            }
        }
    }

    /// <summary>The fills <paramref name="free"/> units must make: back-orders oldest first.</summary>
    private static List<Reallocation> OldestFirst(SkuState prior, long free, ReservationKey? except)
    {
        var fills = new List<Reallocation>();
        foreach (var r in prior.Open.Values.Where(r => r.BackorderedQuantity > 0 && r.Key != except).OrderBy(r => r.Sequence))
        {
            if (free <= 0) break;
            var take = Math.Min(free, r.BackorderedQuantity);
            fills.Add(new Reallocation(r.OrderId, r.LineId, take));
            free -= take;
        }
        return fills;
    }

    /// <summary>The moves a shortfall must make: reserved units of the newest reservations go to back-order first.</summary>
    private static List<Reallocation> NewestFirst(SkuState prior, long shortfall)
    {
        var moves = new List<Reallocation>();
        foreach (var r in prior.Open.Values.Where(r => r.ReservedQuantity > 0).OrderByDescending(r => r.Sequence))
        {
            if (shortfall <= 0) break;
            var take = Math.Min(shortfall, r.ReservedQuantity);
            moves.Add(new Reallocation(r.OrderId, r.LineId, -take));
            shortfall -= take;
        }
        return moves;
    }

    private static void That(bool condition, string what, string ctx)
    {
        if (!condition) throw new InvariantViolation($"{what} — {ctx}");
    }
}
