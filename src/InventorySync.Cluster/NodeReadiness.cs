using Akka.Actor;
using Akka.Cluster;
using Akka.Persistence;

namespace InventorySync.Cluster;

/// <summary>Whether this node can serve: a member of its cluster, with a journal that answers.</summary>
public interface INodeReadiness
{
    Task<ReadinessReport> Check(CancellationToken ct = default);
}

public sealed record ReadinessReport(bool ClusterUp, bool JournalAnswers, string Detail)
{
    public bool Ready => ClusterUp && JournalAnswers;
}

/// <summary>Ready when this node is Up in its cluster and the journal answers a (cheap) highest-sequence-number read.</summary>
internal sealed class NodeReadiness(ActorSystem system) : INodeReadiness
{
    private static readonly TimeSpan JournalTimeout = TimeSpan.FromSeconds(3);

    public async Task<ReadinessReport> Check(CancellationToken ct = default)
    {
        var status = Akka.Cluster.Cluster.Get(system).SelfMember.Status;
        var clusterUp = status == MemberStatus.Up;
        string journalDetail;
        bool journalAnswers;
        try
        {
            var journal = Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null);
            var answer = await journal.Ask<object>(
                probe => new ReplayMessages(0, 0, 0, "healthz-probe", probe), JournalTimeout, ct);
            journalAnswers = answer is RecoverySuccess;
            journalDetail = answer is ReplayMessagesFailure f ? $"journal failed: {f.Cause.Message}" : "journal answers";
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            journalAnswers = false;
            journalDetail = $"journal did not answer within {JournalTimeout.TotalSeconds:0} s";
        }
        return new ReadinessReport(clusterUp, journalAnswers, $"cluster member {status}; {journalDetail}");
    }
}
