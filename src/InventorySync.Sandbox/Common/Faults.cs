namespace InventorySync.Sandbox.Common;

public enum FaultKind
{
    /// <summary>A 5xx with the marketplace's error body; nothing is applied.</summary>
    ServerError,

    /// <summary>No answer until the client gives up; nothing is applied.</summary>
    Timeout,

    /// <summary>The change is applied, then the connection is aborted before the answer is written.</summary>
    DropResponse,

    /// <summary>The marketplace's throttling answer, whatever the rate limiter says; nothing is applied.</summary>
    Throttle,

    /// <summary>Some entries of a batch call fail with a per-entry system error; the others are applied.</summary>
    PartialFailure,
}

/// <summary>
/// A fault scripted through the control API: the next <see cref="Count"/> calls of <see cref="Operation"/> (any
/// operation when null; batch operations only for <see cref="FaultKind.PartialFailure"/>) get it.
/// </summary>
/// <param name="StatusCode">The status of a <see cref="FaultKind.ServerError"/>.</param>
/// <param name="Entries">
/// The 0-based entries that fail under <see cref="FaultKind.PartialFailure"/>; the last entry when null. The
/// entries are <c>requests[]</c> of a bulk update, the containers of a Trading call, the messages of a feed.
/// </param>
public sealed record Fault(
    FaultKind Kind,
    int Count = 1,
    string? Operation = null,
    int StatusCode = StatusCodes.Status500InternalServerError,
    IReadOnlyList<int>? Entries = null)
{
    internal string? Problem() =>
        !Enum.IsDefined(Kind) ? "kind must be serverError, timeout, dropResponse, throttle or partialFailure."
        : Count < 1 ? "count must be at least 1."
        : StatusCode is < 500 or > 599 ? "statusCode must be a 5xx status."
        : Entries is not null && (Entries.Count == 0 || Entries.Any(entry => entry < 0))
            ? "entries must list 0-based entry indexes."
        : null;

    internal bool Matches(ApiOperation operation) =>
        (Operation is null || string.Equals(Operation, operation.Name, StringComparison.OrdinalIgnoreCase))
        && (Kind != FaultKind.PartialFailure || operation.IsBatch);

    /// <summary>Whether entry <paramref name="index"/> of <paramref name="entryCount"/> fails under a partial failure.</summary>
    internal bool FailsEntry(int index, int entryCount) =>
        Kind == FaultKind.PartialFailure && (Entries?.Contains(index) ?? index == entryCount - 1);
}

/// <summary>The faults waiting for their calls, in the order they were scripted.</summary>
internal sealed class FaultScript
{
    private readonly List<Fault> pending = [];
    private readonly Lock sync = new();

    public void Add(Fault fault)
    {
        lock (sync)
        {
            pending.Add(fault);
        }
    }

    /// <summary>Consumes one occurrence of the first pending fault that applies to the operation.</summary>
    public Fault? TryTake(ApiOperation operation)
    {
        lock (sync)
        {
            var index = pending.FindIndex(fault => fault.Matches(operation));
            if (index < 0)
            {
                return null;
            }

            var fault = pending[index];
            if (fault.Count == 1)
            {
                pending.RemoveAt(index);
            }
            else
            {
                pending[index] = fault with { Count = fault.Count - 1 };
            }

            return fault;
        }
    }

    public IReadOnlyList<Fault> Pending()
    {
        lock (sync)
        {
            return [.. pending];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            pending.Clear();
        }
    }
}
