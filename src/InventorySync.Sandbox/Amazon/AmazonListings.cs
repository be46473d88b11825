using System.Text.Json.Nodes;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Amazon;

/// <summary>A seller's listings item: one quantity per SKU across the marketplaces of the account.</summary>
internal sealed class AmazonListing(string sku, string productType, DateTimeOffset createdDate)
{
    public string Sku { get; } = sku;

    public string ProductType { get; set; } = productType;

    public DateTimeOffset CreatedDate { get; } = createdDate;

    public DateTimeOffset LastUpdatedDate { get; set; } = createdDate;

    public SortedSet<string> MarketplaceIds { get; } = new(StringComparer.Ordinal);

    public int Quantity { get; set; }

    /// <summary>The DEFAULT availability's fields other than the channel code and quantity (handling time, restock date).</summary>
    public JsonObject AvailabilityFields { get; set; } = [];

    public int SoldQuantity { get; set; }

    public bool Buyable => Quantity > 0;

    public string Status => Buyable ? ListingStatus.Active : ListingStatus.Inactive;

    public ListingView View() =>
        new(Sku, "sku", Sku, Sku, Quantity, Status, false, SoldQuantity, [Sku], Buyable ? [Sku] : []);
}

/// <summary>
/// Amazon's listings items and their rule: quantity 0 makes the offer inactive, more than 0 active again. A SKU
/// addressed for the first time is created, as if the seller had listed it.
/// </summary>
internal sealed class AmazonListings(UpdateLog log, TimeProvider clock)
{
    public const string PatchOperation = "patchListingsItem";
    private const string SeedProductType = "PRODUCT";

    private readonly Dictionary<string, AmazonListing> listings = [];
    private readonly Lock sync = new();

    /// <summary>Applies the changes in order and logs the outcome; a submission without changes still creates the listing.</summary>
    public void Apply(string sku, string productType, IEnumerable<string> marketplaceIds, IReadOnlyList<AvailabilityChange> changes, string operation)
    {
        lock (sync)
        {
            var listing = GetOrCreate(sku, productType);
            listing.ProductType = productType;
            listing.MarketplaceIds.UnionWith(marketplaceIds);
            if (changes.Count == 0)
            {
                return;
            }

            foreach (var change in changes)
            {
                listing.Quantity = change.Quantity ?? listing.Quantity;
                var fields = change.Replace ? [] : listing.AvailabilityFields;
                foreach (var (name, value) in change.Fields)
                {
                    fields[name] = value?.DeepClone();
                }

                listing.AvailabilityFields = fields;
            }

            listing.LastUpdatedDate = clock.GetUtcNow();
            Log(listing, operation);
        }
    }

    /// <summary>The listings item as getListingsItem answers it, with the data sets asked for.</summary>
    public ListingsItem? Item(string sku, IReadOnlyList<string> marketplaceIds, IReadOnlySet<string> includedData)
    {
        lock (sync)
        {
            if (!listings.TryGetValue(sku, out var listing))
            {
                return null;
            }

            IReadOnlyList<string> status = listing.Buyable ? ["BUYABLE", "DISCOVERABLE"] : [];
            var attributes = new JsonObject
            {
                [AvailabilityPatches.AttributeName] = new JsonArray(Availability(listing)),
            };
            return new ListingsItem(
                listing.Sku,
                includedData.Contains("summaries")
                    ? [.. marketplaceIds.Select(marketplaceId => new ItemSummary(
                        marketplaceId, listing.ProductType, status, listing.CreatedDate, listing.LastUpdatedDate))]
                    : null,
                includedData.Contains("attributes") ? attributes : null,
                includedData.Contains("issues") ? [] : null,
                includedData.Contains("fulfillmentAvailability") ? [new ItemFulfillmentAvailability("DEFAULT", listing.Quantity)] : null);
        }
    }

    public ControlResult Buy(string sku, int quantity)
    {
        lock (sync)
        {
            if (!listings.TryGetValue(sku, out var listing))
            {
                return ControlResult.Fail(ControlFailure.NotFound, $"No listing for SKU '{sku}'.");
            }

            if (listing.Quantity < quantity)
            {
                return ControlResult.CannotBuy($"SKU '{sku}'", listing.Status, listing.Quantity, quantity);
            }

            listing.Quantity -= quantity;
            listing.SoldQuantity += quantity;
            Log(listing, "buy");
            return ControlResult.Ok(listing.View());
        }
    }

    public ControlResult Seed(ListingSeed seed)
    {
        if (seed.Sku is not { } sku || seed.OfferId is not null || seed.ItemId is not null)
        {
            return ControlResult.Fail(ControlFailure.Invalid, "Name the Amazon listing by its seller sku.");
        }

        if (seed.Status is not null && seed.Status != (seed.Quantity > 0 ? ListingStatus.Active : ListingStatus.Inactive))
        {
            return ControlResult.Fail(ControlFailure.Invalid, "An Amazon listing is active with a quantity above 0 and inactive at 0.");
        }

        lock (sync)
        {
            var listing = GetOrCreate(sku, SeedProductType);
            listing.Quantity = seed.Quantity;
            return ControlResult.Ok(listing.View());
        }
    }

    public ListingView? Find(string sku)
    {
        lock (sync)
        {
            return listings.TryGetValue(sku, out var listing) ? listing.View() : null;
        }
    }

    public IReadOnlyList<ListingView> Views()
    {
        lock (sync)
        {
            return [.. listings.Values.Select(listing => listing.View())];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            listings.Clear();
        }
    }

    private static JsonObject Availability(AmazonListing listing)
    {
        var availability = new JsonObject { ["fulfillment_channel_code"] = "DEFAULT", ["quantity"] = listing.Quantity };
        foreach (var (name, value) in listing.AvailabilityFields)
        {
            availability[name] = value?.DeepClone();
        }

        return availability;
    }

    private AmazonListing GetOrCreate(string sku, string productType)
    {
        if (!listings.TryGetValue(sku, out var listing))
        {
            listing = new AmazonListing(sku, productType, clock.GetUtcNow());
            listings.Add(sku, listing);
        }

        return listing;
    }

    private void Log(AmazonListing listing, string operation) =>
        log.Append(listing.Sku, listing.Sku, operation, listing.Quantity, listing.Status);
}
