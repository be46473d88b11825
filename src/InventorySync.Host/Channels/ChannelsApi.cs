using InventorySync.Cluster;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using InventorySync.Host.Http;
using InventorySync.Host.Listings;

namespace InventorySync.Host.Channels;

/// <summary>A channel gateway's stats as the contract shows them; <c>oldestPendingAgeMs</c> is null when nothing waits.</summary>
public sealed record ChannelResponse(
    string Channel, string Marketplace, int Listings, int Queued, int InFlight, long Applied, long Coalesced,
    long Suppressed, long Throttled, long Failures, long Rejected, long Calls, double Tokens, bool Paused,
    double? OldestPendingAgeMs)
{
    public static ChannelResponse From(ChannelStats s) => new(s.Channel, s.Marketplace, s.Listings, s.Queued, s.InFlight,
        s.Applied, s.Coalesced, s.Suppressed, s.Throttled, s.Failures, s.Rejected, s.Calls, Math.Round(s.Tokens, 3),
        s.Paused, s.OldestPendingAge?.TotalMilliseconds);
}

public sealed record ChannelsResponse(IReadOnlyList<ChannelResponse> Channels);

public static class ChannelsApi
{
    public static RouteGroupBuilder MapChannelsApi(this IEndpointRouteBuilder routes)
    {
        var channels = routes.MapGroup("/channels").WithTags("Channels");

        channels.MapGet("/", List)
            .WithSummary("Every configured channel gateway's stats.")
            .Produces<ChannelsResponse>();
        channels.MapGet("/{channel}", Answer(channel => new ChannelQueries.GetStats(channel)))
            .WithSummary("One channel gateway's stats: queued, in flight, applied, coalesced, suppressed, throttled, " +
                         "failures, tokens, paused, age of the oldest pending update.")
            .Produces<ChannelResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        channels.MapPost("/{channel}/pause", Answer(channel => new ChannelCommands.Pause(channel)))
            .WithSummary("Stops calling the marketplace; updates keep coalescing until resumed.")
            .Produces<ChannelResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        channels.MapPost("/{channel}/resume", Answer(channel => new ChannelCommands.Resume(channel)))
            .WithSummary("Calls the marketplace again, newest value per listing first.")
            .Produces<ChannelResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound);
        channels.MapPost("/{channel}/resync", Answer(channel => new ChannelCommands.Resync(channel)))
            .WithSummary("Re-sends every listing of the channel, even values the marketplace is thought to have.")
            .Produces<ChannelResponse>()
            .ProducesProblems(StatusCodes.Status404NotFound);

        return channels;
    }

    private static async Task<IResult> List(ChannelDirectory channels, IInventoryClient inventory, CancellationToken ct)
    {
        var stats = await Task.WhenAll(channels.All.Select(c => inventory.Channel(new ChannelQueries.GetStats(c.Id), ct)));
        return TypedResults.Ok(new ChannelsResponse(stats.Select(ChannelResponse.From).ToList()));
    }

    /// <summary>A handler sending <paramref name="command"/> to the channel's gateway: 404 for a channel not configured.</summary>
    private static Func<string, ChannelDirectory, IInventoryClient, CancellationToken, Task<IResult>> Answer(
        Func<string, ChannelCommands.IChannelCommand> command) =>
        async (channel, channels, inventory, ct) => channels.Find(channel) is null
            ? Problems.Status(StatusCodes.Status404NotFound, ListingsApi.UnknownChannel(channel, channels))
            : TypedResults.Ok(ChannelResponse.From(await inventory.Channel(command(channel), ct)));
}
