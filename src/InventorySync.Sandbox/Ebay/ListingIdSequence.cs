using System.Globalization;

namespace InventorySync.Sandbox.Ebay;

/// <summary>eBay listing ids (item ids): 12 digits, never one a listing already has.</summary>
internal sealed class ListingIdSequence
{
    private const long First = 110_000_000_001;

    private readonly HashSet<string> taken = [];
    private readonly Lock sync = new();
    private long next = First;

    public string Next()
    {
        lock (sync)
        {
            string id;
            do
            {
                id = (next++).ToString(CultureInfo.InvariantCulture);
            }
            while (!taken.Add(id));

            return id;
        }
    }

    /// <summary>Marks an id a seller's listing already has, so that no new listing gets it.</summary>
    public void Take(string id)
    {
        lock (sync)
        {
            taken.Add(id);
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            taken.Clear();
            next = First;
        }
    }
}
