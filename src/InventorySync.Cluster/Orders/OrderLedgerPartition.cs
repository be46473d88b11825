using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using InventorySync.Cluster.Hosting;
using InventorySync.Cluster.Persistence;
using InventorySync.Cluster.Stock;
using InventorySync.Domain.Orders;
using InventorySync.Domain.Stock;
using static InventorySync.Cluster.Orders.LedgerCommands;

namespace InventorySync.Cluster.Orders;

/// <summary>
/// One of a fixed number of ledger partitions; holds the orders whose id hashes to it. Records an order before asking
/// its SKUs, records their answers, then replies, so an order is idempotent as a whole and an interrupted one is
/// finished after a restart. Operations on one order run one at a time; different orders run concurrently.
/// </summary>
public sealed class OrderLedgerPartition : GroupCommitEntity, IWithTimers
{
    private enum Operation { Place, Cancel, DispatchCheck, Dispatch }

    private sealed record Resume(string OrderId);

    private sealed record LineAnswer(OrderLineRecord Line, SkuReply? Reply, string? Failure);

    private sealed record LinesAnswered(string OrderId, Operation Operation, IActorRef ReplyTo, IReadOnlyList<LineAnswer> Answers);

    private sealed class Housekeeping
    {
        public static readonly Housekeeping Instance = new();
    }

    private readonly LedgerSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Func<IActorRef> _skus;
    private readonly Dictionary<string, Queue<(object Message, IActorRef ReplyTo)>> _busy = new(StringComparer.Ordinal);
    private LedgerState _state = LedgerState.Empty;

    public OrderLedgerPartition(int partition, LedgerSettings settings, TimeProvider clock, Func<IActorRef> skus)
        : base(PersistenceIdFor(partition), settings.SnapshotEvery)
    {
        _settings = settings;
        _clock = clock;
        _skus = skus;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is LedgerSnapshot snapshot) _state = snapshot.ToState();
        });
        Recover<OrderEvents.IOrderEvent>(e =>
        {
            _state = _state.Apply(e);
            Recovered();
        });
        Recover<RecoveryCompleted>(_ =>
        {
            var every = TimeSpan.FromTicks(Math.Clamp(_settings.Retention.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerHour));
            var redrive = TimeSpan.FromTicks(Math.Min(every.Ticks, _settings.SkuTimeout.Ticks * 2));
            Timers.StartPeriodicTimer("housekeeping", Housekeeping.Instance, TimeSpan.Zero, redrive);
        });

        Command<ILedgerMessage>(m => Begin(m.OrderId, m, Sender));
        Command<Resume>(r => Begin(r.OrderId, r, ActorRefs.Nobody));
        Command<LinesAnswered>(OnLinesAnswered);
        Command<Housekeeping>(_ => Housekeep());
        CommandLifecycle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdFor(int partition) => $"order-ledger-{partition}";

    public static Props Props(int partition, LedgerSettings settings, TimeProvider clock, Func<IActorRef> skus) =>
        Akka.Actor.Props.Create(() => new OrderLedgerPartition(partition, settings, clock, skus));

    protected override object Snapshot() => LedgerSnapshot.Of(_state);

    protected override int StateSize => _state.Orders.Count;

    /// <summary>Runs the message now, or after the operations already running on the same order.</summary>
    private void Begin(string orderId, object message, IActorRef replyTo)
    {
        if (message is GetOrder get)
        {
            Get(get.OrderId, replyTo);
            return;
        }
        if (StashedForSnapshot()) return;
        if (_busy.TryGetValue(orderId, out var queue))
        {
            queue.Enqueue((message, replyTo));
            return;
        }
        _busy[orderId] = new Queue<(object, IActorRef)>();
        Run(message, replyTo);
    }

    private void Done(string orderId)
    {
        if (!_busy.TryGetValue(orderId, out var queue)) return;
        if (queue.Count == 0)
        {
            _busy.Remove(orderId);
            return;
        }
        var (message, replyTo) = queue.Dequeue();
        Run(message, replyTo);
    }

    private void Run(object message, IActorRef replyTo)
    {
        switch (message)
        {
            case PlaceOrder p: Place(p.Order, replyTo); break;
            case Resume r: ResumeOrder(r.OrderId); break;
            case CancelOrder c: Change(c.OrderId, c.Lines, LineOperation.Cancel, replyTo); break;
            case DispatchOrder d: Change(d.OrderId, d.Lines, LineOperation.Dispatch, replyTo); break;
        }
    }

    private void Place(OrderRequest order, IActorRef replyTo)
    {
        switch (_state.Classify(order))
        {
            case Submission.Conflict:
                Reply(replyTo, OrderResultCode.Conflict,
                    $"Order {order.OrderId} was already placed with other lines, channel or back-order setting; " +
                    "nothing was changed.", _state.Orders[order.OrderId]);
                Done(order.OrderId);
                break;
            case Submission.Replay:
                Reply(replyTo, OrderResultCode.Ok, null, _state.Orders[order.OrderId]);
                Done(order.OrderId);
                break;
            case Submission.Resume:
                AskSkus(_state.Orders[order.OrderId], Operation.Place, replyTo);
                break;
            case Submission.New:
                var received = new OrderEvents.OrderReceived(order, _clock.GetUtcNow());
                _state = _state.Apply(received);
                Write([received], () => AskSkus(_state.Orders[order.OrderId], Operation.Place, replyTo));
                break;
        }
    }

    private void ResumeOrder(string orderId)
    {
        if (_state.Orders.TryGetValue(orderId, out var order) && !order.IsDecided)
            AskSkus(order, Operation.Place, ActorRefs.Nobody);
        else Done(orderId);
    }

    private void Change(string orderId, IReadOnlyList<string>? lineIds, LineOperation operation, IActorRef replyTo)
    {
        var plan = _state.PlanChange(orderId, lineIds, operation);
        if (plan.Verdict == ChangeVerdict.Proceed)
        {
            AskSkus(plan.Order! with { Lines = [..plan.Lines] },
                operation == LineOperation.Cancel ? Operation.Cancel : Operation.DispatchCheck, replyTo);
            return;
        }
        var code = plan.Verdict switch
        {
            ChangeVerdict.NothingToDo => OrderResultCode.Ok,
            ChangeVerdict.NotFound => OrderResultCode.NotFound,
            ChangeVerdict.StillPlacing => OrderResultCode.Unavailable,
            ChangeVerdict.UnknownLines => OrderResultCode.Invalid,
            _ => OrderResultCode.Conflict,
        };
        Reply(replyTo, code, plan.Detail, plan.Order);
        Done(orderId);
    }

    private void AskSkus(OrderRecord order, Operation operation, IActorRef replyTo)
    {
        var lines = operation == Operation.Place ? order.Lines.Where(l => !l.IsDecided) : order.Lines;
        AskEachSku(lines, line => operation switch
            {
                Operation.Place => new SkuCommands.Reserve(line.Sku, order.OrderId, line.LineId, line.Quantity,
                    order.AllowBackorder, order.Channel),
                Operation.Cancel => new SkuCommands.CancelReservation(line.Sku, order.OrderId, line.LineId),
                Operation.DispatchCheck => new SkuQueries.GetReservation(line.Sku, order.OrderId, line.LineId),
                _ => new SkuCommands.DispatchReservation(line.Sku, order.OrderId, line.LineId),
            })
            .PipeTo(Self, success: answers => new LinesAnswered(order.OrderId, operation, replyTo, answers));
    }

    /// <summary>Asks each line's SKU at once; a SKU that does not answer in time gives an answer with a failure.</summary>
    private Task<LineAnswer[]> AskEachSku(IEnumerable<OrderLineRecord> lines, Func<OrderLineRecord, object> message)
    {
        var skus = _skus();
        var timeout = _settings.SkuTimeout;
        return Task.WhenAll(lines.Select(line => skus.Ask<SkuReply>(message(line), timeout).ContinueWith(t =>
                t.IsCompletedSuccessfully
                    ? new LineAnswer(line, t.Result, null)
                    : new LineAnswer(line, null, $"SKU {line.Sku} did not answer in {timeout.TotalSeconds:0.#} s"),
            TaskContinuationOptions.ExecuteSynchronously)));
    }

    private void OnLinesAnswered(LinesAnswered m)
    {
        var order = _state.Orders[m.OrderId];
        var failures = m.Answers.Where(a => a.Reply is null).Select(a => a.Failure!).ToList();

        if (m.Operation == Operation.DispatchCheck)
        {
            var backordered = m.Answers.Where(a => a.Reply?.Line is { BackorderedQuantity: > 0 }).ToList();
            if (failures.Count > 0 || backordered.Count > 0)
            {
                var detail = failures.Count > 0
                    ? string.Join("; ", failures)
                    : string.Join("; ", backordered.Select(a =>
                        $"line {a.Line.LineId} has {a.Reply!.Line!.BackorderedQuantity} of {a.Line.Quantity} units on back-order"))
                      + "; it can be dispatched once a receipt fills it. Nothing was dispatched.";
                Reply(m.ReplyTo, failures.Count > 0 ? OrderResultCode.Unavailable : OrderResultCode.Conflict, detail, order);
                Done(m.OrderId);
                return;
            }
            AskSkus(order with { Lines = [..m.Answers.Select(a => a.Line)] }, Operation.Dispatch, m.ReplyTo);
            return;
        }

        var outcomes = new List<ReservationOutcome>();
        var conflicts = new List<string>();
        foreach (var a in m.Answers.Where(a => a.Reply is not null))
        {
            var reply = a.Reply!;
            if (reply.IsOk && reply.Line is { } line) outcomes.Add(line);
            else if (m.Operation == Operation.Place)
            {
                outcomes.Add(a.Line.RefusedPlacement(m.OrderId));
                Log.Warning("Order {OrderId} line {LineId} rejected: {Detail}", m.OrderId, a.Line.LineId, reply.Detail);
            }
            else conflicts.Add(reply.Detail ?? $"line {a.Line.LineId}: {reply.Code}");
        }

        var code = failures.Count > 0 ? OrderResultCode.Unavailable
            : conflicts.Count > 0 ? OrderResultCode.Conflict
            : OrderResultCode.Ok;
        var detailText = failures.Count > 0
            ? string.Join("; ", failures) + ". The order is recorded and will be finished; retry for its answer."
            : conflicts.Count > 0 ? string.Join("; ", conflicts) : null;

        if (outcomes.Count == 0)
        {
            Reply(m.ReplyTo, code, detailText, order);
            Done(m.OrderId);
            return;
        }
        var recorded = new OrderEvents.OrderLinesRecorded(m.OrderId, outcomes, _clock.GetUtcNow());
        _state = _state.Apply(recorded);
        var after = _state.Orders[m.OrderId];
        Write([recorded], () =>
        {
            Reply(m.ReplyTo, code, detailText, after);
            Done(m.OrderId);
        });
    }

    /// <summary>Answers with the order, its open lines' quantities read live from their SKUs (receipts fill back-orders).</summary>
    private void Get(string orderId, IActorRef replyTo)
    {
        if (!_state.Orders.TryGetValue(orderId, out var order))
        {
            replyTo.Tell(new OrderReply(OrderResultCode.NotFound, $"No order {orderId}.", null));
            return;
        }
        WhenWritten(() =>
        {
            var open = order.Lines.Where(l => l is { IsDecided: true, State: LineState.Open }).ToList();
            if (open.Count == 0)
            {
                replyTo.Tell(new OrderReply(OrderResultCode.Ok, null, order));
                return;
            }
            // A SKU that does not answer in time leaves its line as recorded.
            AskEachSku(open, l => new SkuQueries.GetReservation(l.Sku, orderId, l.LineId)).ContinueWith(t =>
            {
                var live = t.Result.Where(a => a.Reply?.Line is not null)
                    .ToDictionary(a => a.Line.LineId, a => a.Reply!.Line!, StringComparer.Ordinal);
                var lines = order.Lines.Select(l => live.TryGetValue(l.LineId, out var o) ? l.With(o) : l).ToList();
                return new OrderReply(OrderResultCode.Ok, null, order with { Lines = [..lines] });
            }, TaskContinuationOptions.ExecuteSynchronously).PipeTo(replyTo);
        });
    }

    private void Housekeep()
    {
        foreach (var order in _state.Undecided.Where(o => !_busy.ContainsKey(o.OrderId)).ToList())
            Self.Tell(new Resume(order.OrderId));

        var expired = _state.ClosedBefore(_clock.GetUtcNow() - _settings.Retention)
            .Where(id => !_busy.ContainsKey(id)).ToList();
        if (expired.Count == 0) return;
        var forgotten = new OrderEvents.OrdersForgotten(expired, _clock.GetUtcNow());
        _state = _state.Apply(forgotten);
        Write([forgotten], () => Log.Info("Forgot {Count} orders closed before the retention window", expired.Count));
    }

    private void Reply(IActorRef replyTo, OrderResultCode code, string? detail, OrderRecord? order)
    {
        var reply = new OrderReply(code, detail, order);
        WhenWritten(() => replyTo.Tell(reply));
    }
}
