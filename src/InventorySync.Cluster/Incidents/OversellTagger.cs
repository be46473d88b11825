using Akka.Persistence.Journal;
using InventorySync.Domain.Stock;

namespace InventorySync.Cluster.Incidents;

/// <summary>Tags oversell incidents so they can be read across all SKUs.</summary>
public sealed class OversellTagger : IWriteEventAdapter
{
    public const string Tag = "oversell";

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) =>
        evt is SkuEvents.OversellRecorded ? new Tagged(evt, [Tag]) : evt;
}
