namespace InventorySync.Domain.Stock;

/// <summary>Identifies one order line's claim on one SKU.</summary>
public readonly record struct ReservationKey(string OrderId, string LineId)
{
    public override string ToString() => $"{OrderId}/{LineId}";
}

public enum LineStatus { Reserved, Rejected, Backordered }

public enum LineState { Open, Cancelled, Dispatched }

/// <summary>An open reservation. <see cref="Sequence"/> orders reservations by age (oldest first).</summary>
public sealed record Reservation(
    string OrderId,
    string LineId,
    long Quantity,
    long ReservedQuantity,
    long BackorderedQuantity,
    LineStatus Status,
    string Channel,
    bool AllowBackorder,
    long Sequence,
    DateTimeOffset At)
{
    public ReservationKey Key => new(OrderId, LineId);

    public ClosedLine Close(LineState state) => new(ToOutcome(state), Channel, AllowBackorder);

    public ReservationOutcome ToOutcome(LineState state) =>
        new(OrderId, LineId, Quantity, Status, state, ReservedQuantity, BackorderedQuantity);
}

/// <summary>What the SKU answers about one order line: its original status and its current state.</summary>
public sealed record ReservationOutcome(
    string OrderId,
    string LineId,
    long Quantity,
    LineStatus Status,
    LineState State,
    long ReservedQuantity,
    long BackorderedQuantity) : IInventoryMessage
{
    public ReservationKey Key => new(OrderId, LineId);
}

/// <summary>A closed line as the SKU remembers it: its last outcome and the terms it was placed with.</summary>
public sealed record ClosedLine(ReservationOutcome Outcome, string Channel, bool AllowBackorder) : IInventoryMessage
{
    public ReservationKey Key => Outcome.Key;

    /// <summary>True when a reservation request repeats this line exactly.</summary>
    public bool SameTerms(long quantity, string channel, bool allowBackorder) =>
        Outcome.Quantity == quantity && Channel == channel && AllowBackorder == allowBackorder;
}

/// <summary>
/// A change of one reservation's split between reserved and back-ordered units:
/// positive moves back-ordered units to reserved (a fill), negative moves reserved units to back-order.
/// </summary>
public sealed record Reallocation(string OrderId, string LineId, long Quantity) : IInventoryMessage
{
    public ReservationKey Key => new(OrderId, LineId);
}
