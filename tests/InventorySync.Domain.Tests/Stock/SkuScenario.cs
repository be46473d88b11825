using InventorySync.Domain.Stock;
using static InventorySync.Domain.Stock.SkuCommands;
using static InventorySync.Domain.Stock.SkuEvents;

namespace InventorySync.Domain.Tests.Stock;

/// <summary>One SKU driven through <see cref="SkuDecider"/> step by step, keeping every event it emitted.</summary>
internal sealed class SkuScenario(SkuLimits? limits = null)
{
    public const string Sku = "SKU-1";
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private int _step;

    public SkuState State { get; private set; } = SkuState.Empty(Sku, limits);

    public List<ISkuEvent> History { get; } = [];

    public StockLevels Levels => State.Levels;

    public SkuDecision Do(ISkuCommand command)
    {
        var decision = SkuDecider.Decide(State, command, T0.AddSeconds(++_step));
        State = decision.State;
        History.AddRange(decision.Events);
        SkuChecks.AssertInvariants(State, $"after {command}");
        return decision;
    }

    /// <summary>Runs a setup command that must be accepted.</summary>
    public SkuDecision Given(ISkuCommand command)
    {
        var decision = Do(command);
        Assert.True(decision.Reply.IsOk, $"setup {command} answered {decision.Reply.Code}: {decision.Reply.Detail}");
        return decision;
    }

    public SkuDecision Count(long onHand, string reference) => Do(new CountStock(Sku, onHand, reference, "count"));

    public SkuDecision Receive(long units, string reference) => Do(new AdjustStock(Sku, units, reference, "wms"));

    public SkuDecision WriteOff(long units, string reference) => Do(new AdjustStock(Sku, -units, reference, "wms"));

    public SkuDecision Reserve(string order, string line, long quantity, bool allowBackorder = false,
        string channel = "ebay") =>
        Do(new Reserve(Sku, order, line, quantity, allowBackorder, channel));

    public SkuDecision Cancel(string order, string line) => Do(new CancelReservation(Sku, order, line));

    public SkuDecision Dispatch(string order, string line) => Do(new DispatchReservation(Sku, order, line));

    public Reservation Open(string order, string line) => State.Open[new ReservationKey(order, line)];

    public ReservationOutcome? Find(string order, string line) => State.Find(new ReservationKey(order, line));
}
