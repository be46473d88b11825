using CsCheck;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Tests.Stock;

/// <summary>
/// Random command sequences over a small pool of orders, lines and references (so repeats, collisions and
/// conflicts are common) checked against the stock model's rules after every step.
/// </summary>
public sealed class SkuPropertyTests
{
    private const string Sku = SkuScenario.Sku;
    private const long Iterations = 2_500;

    private static readonly Gen<string> Ref = Gen.Int[1, 14].Select(i => $"ref-{i}");
    private static readonly Gen<string> OrderId = Gen.OneOf("o1", "o2", "o3", "o4");
    private static readonly Gen<string> LineId = Gen.OneOf("l1", "l2");
    private static readonly Gen<string> Channel = Gen.OneOf("ebay", "amazon");
    private static readonly Gen<string> ListingId = Gen.OneOf("L1", "L2");

    private static readonly Gen<ListingSettings> Settings = Gen.Select(
        Gen.Int[1, 100], Gen.Long[0, 3], Gen.Long[0, 3], Gen.Long[3, 12].Nullable(),
        Gen.OneOf(OutOfStockRule.Zero, OutOfStockRule.End, OutOfStockRule.Disable, OutOfStockRule.ZeroBackorder),
        (p, b, min, max, rule) => new ListingSettings(p, b, min, max, rule));

    private static readonly Gen<ISkuCommand> Command = Gen.Frequency<ISkuCommand>(
        (2, Gen.Select(Gen.Long[0, 14], Ref, (n, r) => (ISkuCommand)new CountStock(Sku, n, r, "count"))),
        (3, Gen.Select(Gen.Long[1, 6], Gen.Bool, Ref,
            (n, writeOff, r) => (ISkuCommand)new AdjustStock(Sku, writeOff ? -n : n, r, "wms"))),
        (6, Gen.Select(OrderId, LineId, Gen.Long[1, 6], Gen.Bool, Channel,
            (o, l, q, allow, ch) => (ISkuCommand)new Reserve(Sku, o, l, q, allow, ch))),
        (2, Gen.Select(OrderId, LineId, (o, l) => (ISkuCommand)new CancelReservation(Sku, o, l))),
        (2, Gen.Select(OrderId, LineId, (o, l) => (ISkuCommand)new DispatchReservation(Sku, o, l))),
        (1, Gen.Select(ListingId, Settings, (id, settings) =>
            (ISkuCommand)new ListingCommands.MapListing(Sku, "shop", id, MarketplaceKind.Webhook, settings))),
        (1, ListingId.Select(id => (ISkuCommand)new ListingCommands.UnmapListing(Sku, "shop", id))),
        (2, Gen.Select(ListingId, Gen.Long[1, 40], Gen.Bool, Gen.Long[0, 9],
            (id, version, applied, quantity) => (ISkuCommand)new ListingCommands.AcknowledgeListing(
                Sku, "shop", id, version, applied, quantity, quantity > 0 ? ListingStatus.Active : ListingStatus.Inactive,
                null, applied ? null : "refused"))));

    /// <summary>Default windows, and windows small enough that eviction happens inside one sequence.</summary>
    private static readonly Gen<SkuLimits> Limits = Gen.OneOf(SkuLimits.Default, new SkuLimits(2, 3), new SkuLimits(5, 6));

    private static readonly Gen<(SkuLimits, ISkuCommand[])> Sequences = Gen.Select(Limits, Command.Array[1, 60]);

    private static string Print((SkuLimits Limits, ISkuCommand[] Commands) t) =>
        $"{t.Limits}\n  " + string.Join("\n  ", t.Commands.Select(c => c.ToString()));

    [Fact]
    public void Any_command_sequence_keeps_the_stock_invariants_and_the_rules_of_each_command_after_every_step() =>
        Sequences.Sample((limits, commands) =>
        {
            var state = SkuState.Empty(Sku, limits);
            for (var i = 0; i < commands.Length; i++)
            {
                var d = SkuDecider.Decide(state, commands[i], SkuScenario.T0.AddSeconds(i));
                var ctx = $"step {i}: {commands[i]} → {d.Reply.Code} {d.Reply.Detail}";
                SkuRules.AssertDecisionFollowsTheRules(state, commands[i], d, ctx);
                SkuChecks.AssertInvariants(d.State, ctx);
                state = d.State;
            }
        }, iter: Iterations, print: Print);

    [Fact]
    public void Applying_a_decisions_events_gives_the_decided_state_and_recovery_from_all_events_or_a_snapshot_matches() =>
        Sequences.Sample((limits, commands) =>
        {
            var state = SkuState.Empty(Sku, limits);
            var recovered = SkuState.Empty(Sku, limits);
            var all = new List<ISkuEvent>();
            var prior = SkuChecks.Snapshot(state);
            for (var i = 0; i < commands.Length; i++)
            {
                var now = SkuScenario.T0.AddSeconds(i);
                var d = SkuDecider.Decide(state, commands[i], now);
                var ctx = $"step {i}: {commands[i]} → {d.Reply.Code}";
                var live = SkuChecks.Snapshot(d.State);

                // Decide and apply agree, and every event's After (the history's view) is what applying it gives.
                var folded = state;
                foreach (var e in d.Events)
                {
                    Assert.True(e.Sku == Sku && e.At == now, $"event {e} has wrong sku or time — {ctx}");
                    folded = folded.Apply(e);
                    Assert.True(e.After == folded.Levels,
                        $"{KindOf(e)} says After {e.After} but applying it gives {folded.Levels} — {ctx}");
                }
                Assert.True(SkuChecks.Snapshot(folded) == live, $"decide and apply disagree — {ctx}");
                Assert.True(d.Reply.Levels == d.State.Levels, $"reply levels {d.Reply.Levels} != state {d.State.Levels} — {ctx}");
                if (d.Events.Count == 0) Assert.True(ReferenceEquals(state, d.State), $"no events but state changed — {ctx}");

                // A snapshot taken before the command, restored, plus the command's events gives the live state.
                var restored = SkuSnapshot.Of(state).ToState(limits);
                Assert.True(SkuChecks.Snapshot(restored) == prior, $"snapshot round trip lost state — {ctx}");
                if (d.Events.Count > 0)
                {
                    Assert.True(SkuChecks.Snapshot(SkuChecks.ApplyAll(restored, d.Events)) == live,
                        $"snapshot + events differs from the live state — {ctx}");
                }

                // Recovery from Empty with every event emitted so far: same levels and open reservations.
                all.AddRange(d.Events);
                recovered = SkuChecks.ApplyAll(recovered, d.Events);
                Assert.True(recovered.Levels == d.State.Levels, $"recovered levels {recovered.Levels} != {d.State.Levels} — {ctx}");
                Assert.True(recovered.Open.Count == d.State.Open.Count
                            && recovered.Open.All(kv => d.State.Open.TryGetValue(kv.Key, out var r) && r == kv.Value),
                    $"recovered open reservations differ — {ctx}");
                state = d.State;
                prior = live;
            }

            var fromScratch = SkuChecks.ApplyAll(SkuState.Empty(Sku, limits), all);
            Assert.Equal(prior, SkuChecks.Snapshot(fromScratch));
        }, iter: Iterations, print: Print);

    [Fact]
    public void A_repeated_command_emits_nothing_and_answers_with_its_first_outcome_while_inside_the_windows() =>
        Sequences.Sample((limits, commands) =>
        {
            var state = SkuState.Empty(Sku, limits);
            var reserves = new Dictionary<ReservationKey, (Reserve Command, SkuReply Reply)>();
            var closes = new Dictionary<ReservationKey, (ISkuCommand Command, SkuReply Reply)>();
            var changes = new Dictionary<string, (ISkuCommand Command, SkuReply Reply)>();
            for (var i = 0; i < commands.Length; i++)
            {
                var now = SkuScenario.T0.AddSeconds(i);
                var command = commands[i];
                var d = SkuDecider.Decide(state, command, now);
                var ctx = $"step {i}: {command}";

                if (d.Events.Count > 0)
                {
                    // Retried at once (a lost reply): nothing new, the very same answer.
                    var again = SkuDecider.Decide(d.State, command, now.AddMilliseconds(500));
                    Assert.True(again.Events.Count == 0, $"immediate retry emitted {again.Events.Count} events — {ctx}");
                    Assert.True(again.Reply == d.Reply, $"immediate retry answered {again.Reply}, first {d.Reply} — {ctx}");

                    switch (command)
                    {
                        case Reserve r:
                            reserves[new(r.OrderId, r.LineId)] = (r, d.Reply);
                            closes.Remove(new(r.OrderId, r.LineId));
                            break;
                        case CancelReservation c: closes[new(c.OrderId, c.LineId)] = (c, d.Reply); break;
                        case DispatchReservation x: closes[new(x.OrderId, x.LineId)] = (x, d.Reply); break;
                        case CountStock c: changes[c.Reference] = (c, d.Reply); break;
                        case AdjustStock a: changes[a.Reference] = (a, d.Reply); break;
                    }
                }
                state = d.State;

                // Retried later, after other commands: still nothing new and the first outcome.
                foreach (var (key, (first, reply)) in reserves)
                {
                    if (state.Find(key) is not { } current) continue; // evicted from the closed window
                    var later = $"retry of {first} at step {i}";
                    var rep = SkuDecider.Decide(state, first, now);
                    Assert.True(rep.Events.Count == 0, $"retry emitted events — {later}");
                    Assert.True(rep.Reply.Code == reply.Code, $"retry answered {rep.Reply.Code}, first {reply.Code} — {later}");
                    // Original status and quantity; current state (and split) as the SKU holds it now.
                    Assert.True(rep.Reply.Line is { } line && line.Status == reply.Line!.Status && line.Quantity == reply.Line.Quantity
                                && line == current, $"retry answered line {rep.Reply.Line}, first {reply.Line}, now {current} — {later}");

                    var other = SkuDecider.Decide(state, first with { Quantity = first.Quantity + 1 }, now);
                    Assert.True(other.Reply.Code == SkuResultCode.Conflict && other.Events.Count == 0,
                        $"same line with another quantity answered {other.Reply.Code} with {other.Events.Count} events — {later}");
                }
                foreach (var (key, (first, reply)) in closes)
                {
                    if (state.Find(key) is null) continue;
                    var later = $"retry of {first} at step {i}";
                    var rep = SkuDecider.Decide(state, first, now);
                    Assert.True(rep.Events.Count == 0, $"retry emitted events — {later}");
                    Assert.True(rep.Reply.Code == reply.Code && rep.Reply.Line == reply.Line,
                        $"retry answered {rep.Reply.Code} {rep.Reply.Line}, first {reply.Code} {reply.Line} — {later}");
                }
                foreach (var (reference, (first, reply)) in changes)
                {
                    if (!state.References.ContainsKey(reference)) continue; // evicted from the reference window
                    var later = $"retry of {first} at step {i}";
                    var rep = SkuDecider.Decide(state, first, now);
                    Assert.True(rep.Events.Count == 0, $"retry emitted events — {later}");
                    Assert.True(rep.Reply.Code == reply.Code && rep.Reply.Detail == reply.Detail,
                        $"retry answered {rep.Reply.Code} '{rep.Reply.Detail}', first {reply.Code} '{reply.Detail}' — {later}");

                    ISkuCommand[] differentBodies = first switch
                    {
                        CountStock c => [c with { OnHand = c.OnHand + 1 }, new AdjustStock(Sku, Math.Max(1, c.OnHand), reference, "wms")],
                        AdjustStock a => [a with { Delta = a.Delta + Math.Sign(a.Delta) }, new CountStock(Sku, Math.Abs(a.Delta), reference, "count")],
                        _ => [],
                    };
                    foreach (var different in differentBodies)
                    {
                        var other = SkuDecider.Decide(state, different, now);
                        Assert.True(other.Reply.Code == SkuResultCode.Conflict && other.Events.Count == 0,
                            $"{different} reusing the reference answered {other.Reply.Code} with {other.Events.Count} events — {later}");
                    }
                }
            }
        }, iter: Iterations, print: Print);
}
