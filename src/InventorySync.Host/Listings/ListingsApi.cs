using InventorySync.Cluster;
using InventorySync.Cluster.Hosting;
using InventorySync.Domain.Listings;
using InventorySync.Domain.Stock;
using InventorySync.Domain.Validation;
using InventorySync.Host.Http;
using InventorySync.Host.Skus;

namespace InventorySync.Host.Listings;

public static class ListingsApi
{
    public static RouteGroupBuilder MapListingsApi(this IEndpointRouteBuilder routes)
    {
        var listings = routes.MapGroup("/skus/{sku}/listings").WithTags("Listings");

        listings.MapPut("/{channel}/{**listingId}", Map)
            .WithSummary("Maps a listing to the SKU, or changes its settings (absent fields take their defaults: " +
                         "percentage 100, buffer 0, minQuantity 0, no maxQuantity, the channel's outOfStock).")
            .Accepts<ListingBody>("application/json")
            .Produces<ListingResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

        listings.MapDelete("/{channel}/{**listingId}", Unmap)
            .WithSummary("Unmaps a listing; the marketplace keeps what it shows. Unmapping an unmapped listing is fine.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status400BadRequest);

        return listings;
    }

    private static async Task<IResult> Map(
        string sku, string channel, string listingId, HttpContext http, BridgeSettings bridge,
        ChannelDirectory channels, IInventoryClient inventory, CancellationToken ct)
    {
        var body = await JsonBody.Read<ListingBody>(http, bridge.MaxBodyBytes, allowEmpty: true);
        if (body.Problem is not null) return body.Problem;
        var b = body.Value ?? new ListingBody(null, null, null, null, null);

        var errors = new ValidationErrors();
        errors.Add("sku", InputRules.Sku(sku));
        errors.Add("listingId", ListingRules.CheckListingId(listingId));
        var definition = channels.Find(channel);
        errors.Add("channel", definition is null ? UnknownChannel(channel, channels) : null);
        if (definition is not null)
            errors.Add("settings", ListingRules.Check(b.Percentage, b.Buffer, b.MinQuantity, b.MaxQuantity, b.OutOfStock,
                definition.Marketplace));
        if (!errors.IsEmpty) return Problems.Validation(errors.ToDictionary());

        var settings = ListingRules.Resolve(b.Percentage, b.Buffer, b.MinQuantity, b.MaxQuantity, b.OutOfStock,
            definition!.Marketplace, definition.OutOfStock);
        var reply = await inventory.Send(
            new ListingCommands.MapListing(sku, channel, listingId, definition.Marketplace, settings), ct);
        if (reply.Code != SkuResultCode.Ok)
            return Problems.Status(Problems.StatusOf(reply.Code), reply.Detail ?? $"The SKU answered {reply.Code}.");

        var view = await inventory.GetSku(sku, ct);
        var listing = view.Listings.FirstOrDefault(x => x.Channel == channel && x.ListingId == listingId);
        return listing is null
            ? Problems.Status(StatusCodes.Status409Conflict,
                $"Listing {channel}/{listingId} was unmapped again before it could be shown.")
            : TypedResults.Ok(ListingResponse.From(listing));
    }

    private static async Task<IResult> Unmap(
        string sku, string channel, string listingId, ChannelDirectory channels, IInventoryClient inventory,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Add("sku", InputRules.Sku(sku));
        errors.Add("listingId", ListingRules.CheckListingId(listingId));
        errors.Add("channel", ListingRules.CheckChannelId(channel));
        if (!errors.IsEmpty) return Problems.Validation(errors.ToDictionary());

        var reply = await inventory.Send(new ListingCommands.UnmapListing(sku, channel, listingId), ct);
        return reply.Code == SkuResultCode.Ok
            ? TypedResults.NoContent()
            : Problems.Status(Problems.StatusOf(reply.Code), reply.Detail ?? $"The SKU answered {reply.Code}.");
    }

    internal static string UnknownChannel(string channel, ChannelDirectory channels) => channels.All.Count == 0
        ? $"Channel '{channel}' is not configured: this node has no channels (configure Channels:<id>:Marketplace)."
        : $"Channel '{channel}' is not configured; configured channels: {string.Join(", ", channels.All.Select(c => c.Id))}.";
}
