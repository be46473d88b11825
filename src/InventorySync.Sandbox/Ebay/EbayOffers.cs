using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>An offer of the Inventory API and the listing it is published as.</summary>
internal sealed class EbayOffer(string offerId, string listingId, bool outOfStockControl)
{
    public string OfferId { get; } = offerId;

    public string? Sku { get; set; }

    /// <summary>The offer's own availableQuantity, when one was set.</summary>
    public int? AvailableQuantity { get; set; }

    /// <summary>What the listing shows: min(availableQuantity, the SKU's ship-to-home quantity) of those set.</summary>
    public int Quantity { get; set; }

    public bool Active { get; set; } = true;

    public bool OutOfStockControl { get; set; } = outOfStockControl;

    public int SoldQuantity { get; set; }

    public List<string> ListingIds { get; } = [listingId];

    public string ListingId => ListingIds[^1];

    public string Status => EbayListingStatus.Of(Active);

    public ListingView View() => new(
        OfferId, "offer", Sku, ListingId, Quantity, Status, OutOfStockControl, SoldQuantity,
        [.. ListingIds], Active ? [ListingId] : []);
}

/// <summary>
/// The eBay Inventory API's offers and inventory items, and its rules: a bulk update revises live listings (quantity
/// 0 without out-of-stock control ends one), withdraw ends a listing, publish relists it under a new listing id.
/// An offer addressed for the first time is created as a live listing, as if the seller had published it.
/// </summary>
internal sealed class EbayOffers(UpdateLog log, ListingIdSequence listingIds, bool outOfStockControl)
{
    public const string BulkUpdateOperation = "bulkUpdatePriceQuantity";
    public const string WithdrawOperation = "withdrawOffer";
    public const string PublishOperation = "publishOffer";

    private readonly Dictionary<string, EbayOffer> offers = [];
    private readonly Dictionary<string, int> shipToQuantities = [];
    private readonly Lock sync = new();

    /// <summary>Applies the requests one by one: each answers for its offers, or for its SKU when it has none.</summary>
    /// <param name="failsByScript">Whether request <c>i</c> fails by a scripted partial failure.</param>
    public IReadOnlyList<PriceQuantityResponse> BulkUpdate(IReadOnlyList<PriceQuantity> requests, Func<int, bool> failsByScript)
    {
        lock (sync)
        {
            var responses = new List<PriceQuantityResponse>();
            for (var index = 0; index < requests.Count; index++)
            {
                responses.AddRange(failsByScript(index)
                    ? Entries(requests[index]).Select(entry => entry with { StatusCode = 500, Errors = [EbayErrors.SystemError] })
                    : Apply(requests[index]));
            }

            return responses;
        }
    }

    /// <summary>Ends the offer's listing; the offer stays, unpublished, for a later publish.</summary>
    public (WithdrawResponse? Withdrawn, EbayError? Error) Withdraw(string offerId)
    {
        lock (sync)
        {
            var offer = GetOrCreate(offerId);
            if (!offer.Active)
            {
                return (null, EbayErrors.OfferNotAvailable($"offer {offerId} is not published"));
            }

            offer.Active = false;
            Log(offer, WithdrawOperation);
            return (new WithdrawResponse(offer.ListingId), null);
        }
    }

    /// <summary>Relists an ended offer under a new listing id; a live offer answers with the listing id it has.</summary>
    public (PublishResponse? Published, EbayError? Error) Publish(string offerId)
    {
        lock (sync)
        {
            var offer = GetOrCreate(offerId);
            if (offer.Active)
            {
                return (new PublishResponse(offer.ListingId), null);
            }

            var quantity = ShownQuantity(offer);
            if (quantity == 0 && !offer.OutOfStockControl)
            {
                return (null, EbayErrors.InvalidQuantity($"Offer {offerId} has quantity 0: set a quantity before publishing it."));
            }

            offer.ListingIds.Add(listingIds.Next());
            offer.Active = true;
            offer.Quantity = quantity;
            Log(offer, PublishOperation);
            return (new PublishResponse(offer.ListingId), null);
        }
    }

    public EbayOfferDetails? Details(string offerId)
    {
        lock (sync)
        {
            if (!offers.TryGetValue(offerId, out var offer))
            {
                return null;
            }

            var listingStatus = !offer.Active ? "ENDED" : offer.Quantity == 0 ? "OUT_OF_STOCK" : "ACTIVE";
            return new EbayOfferDetails(
                offer.OfferId, offer.Sku, "EBAY_US", "FIXED_PRICE", offer.Quantity,
                offer.Active ? "PUBLISHED" : "UNPUBLISHED",
                new ListingDetails(offer.ListingId, listingStatus, offer.SoldQuantity));
        }
    }

    public ControlResult Buy(string offerId, int quantity)
    {
        lock (sync)
        {
            if (!offers.TryGetValue(offerId, out var offer))
            {
                return ControlResult.Fail(ControlFailure.NotFound, $"No offer '{offerId}'.");
            }

            if (!offer.Active || offer.Quantity < quantity)
            {
                return ControlResult.CannotBuy($"Offer '{offerId}'", offer.Status, offer.Quantity, quantity);
            }

            offer.SoldQuantity += quantity;
            if (offer.AvailableQuantity is { } available)
            {
                offer.AvailableQuantity = available - quantity;
            }

            if (offer.Sku is { } sku && shipToQuantities.TryGetValue(sku, out var shipTo))
            {
                shipToQuantities[sku] = shipTo - quantity;
                ReviseOthersOfSku(offer, "buy");
            }

            offer.Quantity -= quantity;
            Revise(offer, "buy");
            return ControlResult.Ok(offer.View());
        }
    }

    public ControlResult Seed(string offerId, ListingSeed seed)
    {
        if (!EbayListingStatus.TryParseSeed(seed.Status, out var active))
        {
            return EbayListingStatus.InvalidSeed();
        }

        lock (sync)
        {
            var offer = GetOrCreate(offerId);
            if (seed.Sku is not null && offer.Sku is not null && offer.Sku != seed.Sku)
            {
                return ControlResult.Fail(ControlFailure.Invalid, $"Offer '{offerId}' belongs to SKU '{offer.Sku}'.");
            }

            offer.Sku ??= seed.Sku;
            offer.AvailableQuantity = seed.Quantity;
            offer.Quantity = ShownQuantity(offer);
            offer.Active = active;
            offer.OutOfStockControl = seed.OutOfStockControl ?? offer.OutOfStockControl;
            return ControlResult.Ok(offer.View());
        }
    }

    public ListingView? Find(string id)
    {
        lock (sync)
        {
            return offers.TryGetValue(id, out var offer)
                ? offer.View()
                : offers.Values.FirstOrDefault(candidate => candidate.ListingIds.Contains(id))?.View();
        }
    }

    public IReadOnlyList<ListingView> Views()
    {
        lock (sync)
        {
            return [.. offers.Values.Select(offer => offer.View())];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            offers.Clear();
            shipToQuantities.Clear();
        }
    }

    /// <summary>The entries a request answers with: one per offer, or one for the SKU when it names no offer.</summary>
    private static IEnumerable<PriceQuantityResponse> Entries(PriceQuantity request) =>
        request.Offers is { Count: > 0 } offersOfRequest
            ? offersOfRequest.Select(offer => new PriceQuantityResponse(200, offer.OfferId, request.Sku))
            : [new PriceQuantityResponse(200, null, request.Sku)];

    private IEnumerable<PriceQuantityResponse> Apply(PriceQuantity request)
    {
        if (RequestProblem(request) is { } requestProblem)
        {
            return Entries(request).Select(entry => entry with { StatusCode = 400, Errors = [requestProblem] });
        }

        var sku = request.Sku;
        var shipTo = request.ShipToLocationAvailability?.Quantity;
        var offerUpdates = request.Offers ?? [];
        if (sku is not null && shipTo is not null)
        {
            shipToQuantities[sku] = shipTo.Value;
        }

        if (offerUpdates.Count == 0)
        {
            foreach (var offer in offers.Values.Where(offer => offer.Sku == sku))
            {
                ReviseIfChanged(offer, BulkUpdateOperation);
            }

            return [new PriceQuantityResponse(200, null, sku)];
        }

        var responses = new List<PriceQuantityResponse>();
        foreach (var (update, index) in offerUpdates.Select((update, index) => (update, index)))
        {
            if (update.OfferId is not { Length: > 0 } offerId)
            {
                responses.Add(new PriceQuantityResponse(400, null, sku, Errors: [EbayErrors.InvalidValue("offerId", "Each offer needs its offerId.")]));
                continue;
            }

            if (OfferProblem(offerId, update, sku, shipTo, offerUpdates.Take(index)) is { } problem)
            {
                responses.Add(new PriceQuantityResponse(400, offerId, sku, Errors: [problem]));
                continue;
            }

            var offer = GetOrCreate(offerId);
            offer.Sku ??= sku;
            offer.AvailableQuantity = update.AvailableQuantity ?? offer.AvailableQuantity;
            Revise(offer, BulkUpdateOperation);
            responses.Add(new PriceQuantityResponse(200, offer.OfferId, offer.Sku, Warnings: offer.Active
                ? null
                : [EbayErrors.SystemWarning($"Offer {offer.OfferId} is not published: the quantity applies when it is published.")]));
        }

        if (sku is not null && shipTo is not null)
        {
            var updated = offerUpdates.Select(update => update.OfferId).ToHashSet();
            foreach (var offer in offers.Values.Where(offer => offer.Sku == sku && !updated.Contains(offer.OfferId)))
            {
                ReviseIfChanged(offer, BulkUpdateOperation);
            }
        }

        return responses;
    }

    private static EbayError? RequestProblem(PriceQuantity request)
    {
        if (request.ShipToLocationAvailability is { } shipTo)
        {
            if (string.IsNullOrEmpty(request.Sku))
            {
                return EbayErrors.InvalidValue("sku", "A sku is required with shipToLocationAvailability.");
            }

            if (shipTo.Quantity is not >= 0)
            {
                return EbayErrors.InvalidValue("shipToLocationAvailability.quantity", "The quantity must be 0 or more.");
            }
        }
        else if (request.Offers is not { Count: > 0 })
        {
            return EbayErrors.InvalidValue("requests", "Each request needs offers or shipToLocationAvailability.");
        }

        return null;
    }

    private EbayError? OfferProblem(string offerId, OfferPriceQuantity update, string? sku, int? shipTo, IEnumerable<OfferPriceQuantity> earlier)
    {
        if (update.AvailableQuantity < 0)
        {
            return EbayErrors.InvalidValue("availableQuantity", "The quantity must be 0 or more.");
        }

        if (update.AvailableQuantity is null && update.Price is null && shipTo is null)
        {
            return EbayErrors.InvalidValue("availableQuantity", "Either availableQuantity or price is required.");
        }

        if (earlier.Any(other => other.OfferId == offerId))
        {
            return EbayErrors.UserError($"Offer {offerId} appears more than once in the request.");
        }

        return sku is not null && offers.TryGetValue(offerId, out var offer) && offer.Sku is { } offerSku && offerSku != sku
            ? EbayErrors.UserError($"Offer {offerId} belongs to SKU {offerSku}, not {sku}.")
            : null;
    }

    private EbayOffer GetOrCreate(string offerId)
    {
        if (!offers.TryGetValue(offerId, out var offer))
        {
            offer = new EbayOffer(offerId, listingIds.Next(), outOfStockControl);
            offers.Add(offerId, offer);
        }

        return offer;
    }

    private int ShownQuantity(EbayOffer offer)
    {
        int? shipTo = offer.Sku is { } sku && shipToQuantities.TryGetValue(sku, out var quantity) ? quantity : null;
        return (offer.AvailableQuantity, shipTo) switch
        {
            ({ } available, { } toHome) => Math.Min(available, toHome),
            ({ } available, null) => available,
            (null, { } toHome) => toHome,
            _ => offer.Quantity,
        };
    }

    /// <summary>Brings the offer to the quantity it should show; a live listing without out-of-stock control ends at 0.</summary>
    private void Revise(EbayOffer offer, string operation)
    {
        offer.Quantity = ShownQuantity(offer);
        if (offer.Active && offer.Quantity == 0 && !offer.OutOfStockControl)
        {
            offer.Active = false;
        }

        Log(offer, operation);
    }

    private void ReviseIfChanged(EbayOffer offer, string operation)
    {
        if (ShownQuantity(offer) != offer.Quantity)
        {
            Revise(offer, operation);
        }
    }

    private void ReviseOthersOfSku(EbayOffer offer, string operation)
    {
        foreach (var other in offers.Values.Where(other => other.Sku == offer.Sku && other != offer))
        {
            ReviseIfChanged(other, operation);
        }
    }

    private void Log(EbayOffer offer, string operation) =>
        log.Append(offer.OfferId, offer.ListingId, operation, offer.Quantity, offer.Status);
}
