using Akka.Actor;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Domain.Listings;

namespace InventorySync.Cluster.Listings;

/// <summary>
/// One mapped listing, a child of its SKU entity. It is told the listing's written state after every write that
/// changes it, sends the desired state to the channel gateway, and re-sends it (backing off) until the gateway's
/// acknowledgement of that version or a newer one is written.
/// </summary>
public sealed class ListingActor : ReceiveActor, IWithTimers
{
    /// <summary>The listing's state as written; <see cref="Force"/> sends it even when acknowledged (resync).</summary>
    public sealed record Changed(ListingState Listing, bool Force = false);

    private sealed class Resend
    {
        public static readonly Resend Instance = new();
    }

    private readonly string _sku;
    private readonly Func<IActorRef> _gateways;
    private readonly TimeSpan _firstResend;
    private readonly TimeSpan _maxResend;
    private ListingState? _listing;
    private long _sentVersion;
    private TimeSpan _resendAfter;

    /// <param name="settings">Re-sends come after <see cref="SkuSettings.ListingResendAfter"/>, doubling up to <see cref="SkuSettings.ListingResendMax"/>.</param>
    public ListingActor(string sku, Func<IActorRef> gateways, SkuSettings settings)
    {
        _sku = sku;
        _gateways = gateways;
        _firstResend = settings.ListingResendAfter;
        _maxResend = settings.ListingResendMax;
        _resendAfter = _firstResend;

        Receive<Changed>(changed =>
        {
            _listing = changed.Listing;
            if (changed.Force) Send(force: true);
            else if (!_listing.IsPending) Timers.Cancel(Resend.Instance);
            else if (_listing.DesiredVersion > _sentVersion) Send(force: false);
        });
        Receive<Resend>(_ =>
        {
            if (_listing is not { IsPending: true }) return;
            _resendAfter = TimeSpan.FromTicks(Math.Min(_resendAfter.Ticks * 2, _maxResend.Ticks));
            Send(force: false);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sku, Func<IActorRef> gateways, SkuSettings settings) =>
        Akka.Actor.Props.Create(() => new ListingActor(sku, gateways, settings));

    /// <summary>A child name for a listing key: channel ids and listing ids may hold characters actor names may not.</summary>
    public static string NameFor(ListingKey key) =>
        "listing-" + Uri.EscapeDataString(key.Channel) + "~" + Uri.EscapeDataString(key.ListingId);

    private void Send(bool force)
    {
        var x = _listing!;
        if (x.DesiredVersion > _sentVersion) _resendAfter = _firstResend;
        _sentVersion = x.DesiredVersion;
        _gateways().Tell(new ChannelCommands.Publish(
            x.Channel, x.ListingId, x.CurrentListingId, _sku, x.Desired.Quantity, x.Desired.Status, x.DesiredVersion,
            x.PublishedQuantity, x.PublishedStatus, force));
        if (x.IsPending || force) Timers.StartSingleTimer(Resend.Instance, Resend.Instance, _resendAfter);
    }
}
