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

    /// <summary>
    /// The lines of one operation asked of their SKUs at once, under consecutive request ids from <see cref="FirstId"/>;
    /// the callback runs once every line has an answer or the deadline has passed. A finished ask waits in the expiry
    /// queue until the next sweep holding nothing else: what it held (the callback, the order's lines, the answers)
    /// would otherwise outlive a young-generation collection for every order.
    /// </summary>
    private sealed class LineAsk(long firstId, IReadOnlyList<OrderLineRecord> lines, long deadline,
        Action<IReadOnlyList<LineAnswer>> onAnswered)
    {
        public readonly long FirstId = firstId;
        public readonly long Deadline = deadline;
        public readonly int Count = lines.Count;
        private IReadOnlyList<OrderLineRecord>? _lines = lines;
        private Action<IReadOnlyList<LineAnswer>>? _onAnswered = onAnswered;
        private LineAnswer?[]? _answers = new LineAnswer?[lines.Count];
        private int _remaining = lines.Count;

        public bool Finished => _onAnswered is null;

        /// <summary>Records line <paramref name="index"/>'s answer; the last one finishes the ask.</summary>
        public void Answer(int index, SkuReply reply)
        {
            _answers![index] = new LineAnswer(_lines![index], reply, null);
            if (--_remaining == 0) Finish();
        }

        /// <summary>Answers every line still waiting with a failure and finishes the ask.</summary>
        public void Expire(Action<long> forget, Func<OrderLineRecord, string> failure)
        {
            for (var i = 0; i < Count; i++)
            {
                if (_answers![i] is not null) continue;
                forget(FirstId + i);
                _answers[i] = new LineAnswer(_lines![i], null, failure(_lines[i]));
            }
            _remaining = 0;
            Finish();
        }

        private void Finish()
        {
            var onAnswered = _onAnswered!;
            var answers = _answers!;
            _onAnswered = null;
            _answers = null;
            _lines = null;
            onAnswered(answers!);
        }
    }

    private sealed class Redrive
    {
        public static readonly Redrive Instance = new();
    }

    private sealed class ForgetExpired
    {
        public static readonly ForgetExpired Instance = new();
    }

    private sealed class ExpireAsks
    {
        public static readonly ExpireAsks Instance = new();
    }

    private readonly LedgerSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Func<IActorRef> _skus;
    private readonly Dictionary<string, Queue<(object Message, IActorRef ReplyTo)>> _busy = new(StringComparer.Ordinal);
    private readonly Dictionary<long, LineAsk> _asked = new();

    /// <summary>
    /// Ids of orders recorded but perhaps not decided (a superset: decided ones leave at the next redrive), so the
    /// redrive does not scan every order the partition holds.
    /// </summary>
    private readonly HashSet<string> _undecided = new(StringComparer.Ordinal);
    private readonly Queue<LineAsk> _askOrder = new();
    private long _lastRequestId;
    private LedgerState _state = new();

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
            _state.Apply(e);
            Recovered();
        });
        Recover<RecoveryCompleted>(_ =>
        {
            _undecided.UnionWith(_state.Undecided.Select(o => o.OrderId));
            var expiry = TimeSpan.FromTicks(Math.Clamp(_settings.Retention.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerHour));
            var redrive = TimeSpan.FromTicks(Math.Min(expiry.Ticks, _settings.SkuTimeout.Ticks * 2));
            Timers.StartPeriodicTimer("redrive", Redrive.Instance, TimeSpan.Zero, redrive);
            Timers.StartPeriodicTimer("forget-expired", ForgetExpired.Instance, expiry, expiry);
        });

        Command<ILedgerMessage>(m => Begin(m.OrderId, m, Sender));
        Command<Resume>(r => Begin(r.OrderId, r, ActorRefs.Nobody));
        Command<SkuLineReply>(OnLineReply);
        Command<ExpireAsks>(_ => Expire());
        Command<Redrive>(_ => RedriveUndecided());
        Command<ForgetExpired>(_ => Forget());
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
                _state.Apply(received);
                _undecided.Add(order.OrderId);
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
        var lines = operation == Operation.Place ? order.Lines.Where(l => !l.IsDecided).ToList() : [..order.Lines];
        var action = operation switch
        {
            Operation.Place => LineAction.Reserve,
            Operation.Cancel => LineAction.Cancel,
            Operation.DispatchCheck => LineAction.Get,
            _ => LineAction.Dispatch,
        };
        AskEachSku(order, lines, action, answers => OnLinesAnswered(order.OrderId, operation, replyTo, answers));
    }

    /// <summary>
    /// Tells each line's SKU at once; <paramref name="onAnswered"/> runs in this actor once every line is answered, a
    /// SKU that does not answer within the SKU timeout giving an answer with a failure.
    /// </summary>
    private void AskEachSku(OrderRecord order, IReadOnlyList<OrderLineRecord> lines, LineAction action,
        Action<IReadOnlyList<LineAnswer>> onAnswered)
    {
        if (lines.Count == 0)
        {
            onAnswered([]);
            return;
        }
        var ask = new LineAsk(_lastRequestId + 1, lines, Environment.TickCount64 + (long)_settings.SkuTimeout.TotalMilliseconds,
            onAnswered);
        var skus = _skus();
        foreach (var line in lines)
        {
            var id = ++_lastRequestId;
            _asked[id] = ask;
            skus.Tell(new SkuLineRequest(id, action, line.Sku, order.OrderId, line.LineId, line.Quantity,
                order.AllowBackorder, order.Channel), Self);
        }
        _askOrder.Enqueue(ask);
        if (!Timers.IsTimerActive("expire-asks"))
        {
            var every = TimeSpan.FromTicks(Math.Clamp(_settings.SkuTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 20,
                TimeSpan.TicksPerSecond));
            Timers.StartPeriodicTimer("expire-asks", ExpireAsks.Instance, every);
        }
    }

    private void OnLineReply(SkuLineReply reply)
    {
        // An answer after its deadline finds nothing: the line was already answered with a failure.
        if (!_asked.Remove(reply.Id, out var ask)) return;
        ask.Answer((int)(reply.Id - ask.FirstId), reply.Reply);
    }

    /// <summary>Answers the lines of asks past their deadline with a failure (asks share one timeout, so FIFO order).</summary>
    private void Expire()
    {
        var now = Environment.TickCount64;
        while (_askOrder.TryPeek(out var ask) && (ask.Finished || ask.Deadline <= now))
        {
            _askOrder.Dequeue();
            if (ask.Finished) continue;
            ask.Expire(id => _asked.Remove(id),
                line => $"SKU {line.Sku} did not answer in {_settings.SkuTimeout.TotalSeconds:0.#} s");
        }
        if (_askOrder.Count == 0) Timers.Cancel("expire-asks");
    }

    private void OnLinesAnswered(string orderId, Operation operation, IActorRef replyTo, IReadOnlyList<LineAnswer> answers)
    {
        var order = _state.Orders[orderId];
        var failures = answers.Where(a => a.Reply is null).Select(a => a.Failure!).ToList();

        if (operation == Operation.DispatchCheck)
        {
            var backordered = answers.Where(a => a.Reply?.Line is { BackorderedQuantity: > 0 }).ToList();
            if (failures.Count > 0 || backordered.Count > 0)
            {
                var detail = failures.Count > 0
                    ? string.Join("; ", failures)
                    : string.Join("; ", backordered.Select(a =>
                        $"line {a.Line.LineId} has {a.Reply!.Line!.BackorderedQuantity} of {a.Line.Quantity} units on back-order"))
                      + "; it can be dispatched once a receipt fills it. Nothing was dispatched.";
                Reply(replyTo, failures.Count > 0 ? OrderResultCode.Unavailable : OrderResultCode.Conflict, detail, order);
                Done(orderId);
                return;
            }
            AskSkus(order with { Lines = [..answers.Select(a => a.Line)] }, Operation.Dispatch, replyTo);
            return;
        }

        var outcomes = new List<ReservationOutcome>();
        var conflicts = new List<string>();
        foreach (var a in answers.Where(a => a.Reply is not null))
        {
            var reply = a.Reply!;
            if (reply.IsOk && reply.Line is { } line) outcomes.Add(line);
            else if (operation == Operation.Place)
            {
                outcomes.Add(a.Line.RefusedPlacement(orderId));
                Log.Warning("Order {OrderId} line {LineId} rejected: {Detail}", orderId, a.Line.LineId, reply.Detail);
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
            Reply(replyTo, code, detailText, order);
            Done(orderId);
            return;
        }
        var recorded = new OrderEvents.OrderLinesRecorded(orderId, outcomes, _clock.GetUtcNow());
        _state.Apply(recorded);
        var after = _state.Orders[orderId];
        Write([recorded], () =>
        {
            Reply(replyTo, code, detailText, after);
            Done(orderId);
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
            AskEachSku(order, open, LineAction.Get, answers =>
            {
                var live = answers.Where(a => a.Reply?.Line is not null)
                    .ToDictionary(a => a.Line.LineId, a => a.Reply!.Line!, StringComparer.Ordinal);
                var lines = order.Lines.Select(l => live.TryGetValue(l.LineId, out var o) ? l.With(o) : l).ToList();
                replyTo.Tell(new OrderReply(OrderResultCode.Ok, null, order with { Lines = [..lines] }));
            });
        });
    }

    /// <summary>Finishes the orders whose SKUs have not all answered (timed out, or interrupted by a restart).</summary>
    private void RedriveUndecided()
    {
        _undecided.RemoveWhere(id => !_state.Orders.TryGetValue(id, out var order) || order.IsDecided);
        foreach (var id in _undecided.Where(id => !_busy.ContainsKey(id)).ToList()) Self.Tell(new Resume(id));
    }

    private void Forget()
    {
        var expired = _state.ClosedBefore(_clock.GetUtcNow() - _settings.Retention)
            .Where(id => !_busy.ContainsKey(id)).ToList();
        if (expired.Count == 0) return;
        var forgotten = new OrderEvents.OrdersForgotten(expired, _clock.GetUtcNow());
        _state.Apply(forgotten);
        Write([forgotten], () => Log.Info("Forgot {Count} orders closed before the retention window", expired.Count));
    }

    private void Reply(IActorRef replyTo, OrderResultCode code, string? detail, OrderRecord? order)
    {
        var reply = new OrderReply(code, detail, order);
        WhenWritten(() => replyTo.Tell(reply));
    }
}
