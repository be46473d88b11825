using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>An eBay listing (an offer's or a Trading item's) is active or ended; the control API seeds it as either.</summary>
internal static class EbayListingStatus
{
    public static string Of(bool active) => active ? ListingStatus.Active : ListingStatus.Ended;

    /// <summary>Whether a seed's status makes the listing active (no status does); false for a status eBay lacks.</summary>
    public static bool TryParseSeed(string? status, out bool active)
    {
        active = status is null or ListingStatus.Active;
        return active || status == ListingStatus.Ended;
    }

    public static ControlResult InvalidSeed() =>
        ControlResult.Fail(ControlFailure.Invalid, "An eBay listing's status is active or ended.");
}
