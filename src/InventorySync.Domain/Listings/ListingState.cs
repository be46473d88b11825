namespace InventorySync.Domain.Listings;

/// <summary>
/// One mapped listing as its SKU holds it: settings, the desired state for the current availability with the version
/// it was stamped with (the SKU's revision, which only grows), and what the marketplace acknowledged.
/// </summary>
public sealed record ListingState(
    string Channel,
    string ListingId,
    MarketplaceKind Marketplace,
    ListingSettings Settings,
    DesiredListing Desired,
    long DesiredVersion,
    long SyncedVersion,
    long? PublishedQuantity,
    ListingStatus? PublishedStatus,
    string CurrentListingId,
    long RefusedVersion,
    string? LastError) : IInventoryMessage
{
    public ListingKey Key => new(Channel, ListingId);

    /// <summary>True while the desired version is neither acknowledged nor refused by the marketplace.</summary>
    public bool IsPending => DesiredVersion > Math.Max(SyncedVersion, RefusedVersion);

    /// <summary>The status the SKU view shows: pending before the first sync, error after a refusal, else the marketplace's.</summary>
    public ListingStatus Status =>
        LastError is not null && RefusedVersion > SyncedVersion ? ListingStatus.Error
        : PublishedStatus ?? ListingStatus.Pending;

    public static ListingState Mapped(
        string channel, string listingId, MarketplaceKind marketplace, ListingSettings settings) =>
        new(channel, listingId, marketplace, settings, new DesiredListing(0, ListingStatus.Pending), 0, 0, null, null,
            listingId, 0, null);

    /// <summary>The desired state for <paramref name="available"/>; a change is stamped with <paramref name="revision"/>.</summary>
    public ListingState Allocate(long available, long revision)
    {
        var desired = AllocationPolicy.Desired(available, Settings);
        return desired == Desired && DesiredVersion > 0 ? this : this with { Desired = desired, DesiredVersion = revision };
    }

    public ListingView ToView() => new(
        Channel, ListingId, CurrentListingId, Status, Desired.Quantity, PublishedQuantity, DesiredVersion, SyncedVersion,
        LastError, Settings);
}

/// <summary>A listing as the SKU view shows it.</summary>
public sealed record ListingView(
    string Channel,
    string ListingId,
    string CurrentListingId,
    ListingStatus Status,
    long DesiredQuantity,
    long? PublishedQuantity,
    long DesiredVersion,
    long SyncedVersion,
    string? LastError,
    ListingSettings Settings) : IInventoryMessage;
