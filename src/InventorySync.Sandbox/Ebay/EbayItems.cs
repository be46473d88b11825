using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>One Trading API listing (one ItemID). A relist makes a new one in the same family.</summary>
internal sealed class TradingItem(string itemId, string listing, bool outOfStockControl)
{
    public string ItemId { get; } = itemId;

    /// <summary>The family: the item id first addressed, which every relist of it descends from.</summary>
    public string Listing { get; } = listing;

    public string? Sku { get; set; }

    public int Quantity { get; set; }

    public bool Active { get; set; } = true;

    public bool OutOfStockControl { get; set; } = outOfStockControl;

    public int SoldQuantity { get; set; }

    public string Status => EbayListingStatus.Of(Active);
}

/// <summary>What a ReviseInventoryStatus container left on its listing.</summary>
internal sealed record InventoryRevision(string ItemId, string? Sku, int Quantity);

/// <summary>The outcome of a relist: the new item id, or the problem (and for a reused UUID, the item it created).</summary>
internal sealed record Relisting(string? NewItemId, TradingError? Problem, string? DuplicateOf = null);

/// <summary>
/// The eBay Trading API's fixed-price listings and their rules: quantity 0 without out-of-stock control is refused,
/// a listing that sells out without it ends, every relist makes a new ItemID (a blind retry duplicates the listing)
/// unless the relist carries an Item.UUID already used. An item id addressed for the first time is a live listing,
/// as if the seller had listed it.
/// </summary>
internal sealed class EbayItems(UpdateLog log, ListingIdSequence listingIds, bool outOfStockControl)
{
    public const string ReviseOperation = "ReviseInventoryStatus";
    public const string EndOperation = "EndItems";
    public const string RelistOperation = "RelistFixedPriceItem";

    private readonly Dictionary<string, TradingItem> items = [];
    private readonly Dictionary<string, List<TradingItem>> families = [];
    private readonly Dictionary<string, string> itemIdsByUuid = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock sync = new();

    public (InventoryRevision? Revision, TradingError? Problem) Revise(string itemId, string? sku, int? quantity)
    {
        lock (sync)
        {
            var item = GetOrCreate(itemId);
            if (!item.Active)
            {
                return (null, TradingErrors.AuctionEnded(itemId));
            }

            if (quantity == 0 && !item.OutOfStockControl)
            {
                return (null, TradingErrors.ZeroQuantityWithoutOutOfStockControl(itemId));
            }

            item.Sku ??= sku;
            var unchanged = quantity == item.Quantity;
            if (quantity is { } revised)
            {
                item.Quantity = revised;
                Log(item, ReviseOperation);
            }

            return (new InventoryRevision(item.ItemId, item.Sku, item.Quantity), unchanged ? TradingErrors.QuantityUnchanged(itemId) : null);
        }
    }

    public TradingError? End(string itemId)
    {
        lock (sync)
        {
            var item = GetOrCreate(itemId);
            if (!item.Active)
            {
                return TradingErrors.AuctionClosed(itemId);
            }

            item.Active = false;
            Log(item, EndOperation);
            return null;
        }
    }

    /// <summary>Relists an ended item as a new one; a UUID already used answers with the item it created instead.</summary>
    public Relisting Relist(string itemId, int? quantity, string? uuid)
    {
        lock (sync)
        {
            if (uuid is not null && itemIdsByUuid.TryGetValue(uuid, out var created))
            {
                return new Relisting(null, TradingErrors.DuplicateUuid(created), created);
            }

            var ended = GetOrCreate(itemId);
            if (ended.Active)
            {
                return new Relisting(null, TradingErrors.InvalidInput("Item.ItemID", $"Item {itemId} has not ended: only an ended listing can be relisted."));
            }

            var relistQuantity = quantity ?? ended.Quantity;
            if (relistQuantity == 0 && !ended.OutOfStockControl)
            {
                return new Relisting(null, TradingErrors.ZeroQuantityWithoutOutOfStockControl(itemId));
            }

            var relisted = Add(listingIds.Next(), ended.Listing, ended.OutOfStockControl);
            relisted.Sku = ended.Sku;
            relisted.Quantity = relistQuantity;
            if (uuid is not null)
            {
                itemIdsByUuid.Add(uuid, relisted.ItemId);
            }

            Log(relisted, RelistOperation);
            return new Relisting(relisted.ItemId, null);
        }
    }

    public ControlResult Buy(string itemId, int quantity)
    {
        lock (sync)
        {
            if (!items.TryGetValue(itemId, out var item))
            {
                return ControlResult.Fail(ControlFailure.NotFound, $"No item '{itemId}'.");
            }

            if (!item.Active || item.Quantity < quantity)
            {
                return ControlResult.CannotBuy($"Item '{itemId}'", item.Status, item.Quantity, quantity);
            }

            item.Quantity -= quantity;
            item.SoldQuantity += quantity;
            if (item.Quantity == 0 && !item.OutOfStockControl)
            {
                item.Active = false;
            }

            Log(item, "buy");
            return ControlResult.Ok(View(families[item.Listing]));
        }
    }

    public ControlResult Seed(string itemId, ListingSeed seed)
    {
        if (!EbayListingStatus.TryParseSeed(seed.Status, out var active))
        {
            return EbayListingStatus.InvalidSeed();
        }

        lock (sync)
        {
            var item = GetOrCreate(itemId);
            item.Sku = seed.Sku ?? item.Sku;
            item.Quantity = seed.Quantity;
            item.Active = active;
            item.OutOfStockControl = seed.OutOfStockControl ?? item.OutOfStockControl;
            return ControlResult.Ok(View(families[item.Listing]));
        }
    }

    /// <summary>The family the id belongs to (as its first item id or any relist's).</summary>
    public ListingView? Find(string id)
    {
        lock (sync)
        {
            return items.TryGetValue(id, out var item) ? View(families[item.Listing]) : null;
        }
    }

    public IReadOnlyList<ListingView> Views()
    {
        lock (sync)
        {
            return [.. families.Values.Select(View)];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            items.Clear();
            families.Clear();
            itemIdsByUuid.Clear();
        }
    }

    /// <summary>A family as one listing: the newest item's state, every item id, and those live now.</summary>
    private static ListingView View(List<TradingItem> family)
    {
        var current = family[^1];
        return new ListingView(
            current.Listing, "item", current.Sku, current.ItemId, current.Quantity, current.Status, current.OutOfStockControl,
            family.Sum(item => item.SoldQuantity),
            [.. family.Select(item => item.ItemId)],
            [.. family.Where(item => item.Active).Select(item => item.ItemId)]);
    }

    private TradingItem GetOrCreate(string itemId)
    {
        if (items.TryGetValue(itemId, out var item))
        {
            return item;
        }

        listingIds.Take(itemId);
        return Add(itemId, itemId, outOfStockControl);
    }

    private TradingItem Add(string itemId, string listing, bool withOutOfStockControl)
    {
        var item = new TradingItem(itemId, listing, withOutOfStockControl);
        items.Add(itemId, item);
        if (!families.TryGetValue(listing, out var family))
        {
            family = [];
            families.Add(listing, family);
        }

        family.Add(item);
        return item;
    }

    private void Log(TradingItem item, string operation) =>
        log.Append(item.Listing, item.ItemId, operation, item.Quantity, item.Status);
}
