using InventorySync.Cluster;
using InventorySync.Cluster.Channels;
using InventorySync.Cluster.Hosting;
using Prometheus;

namespace InventorySync.Host.Metrics;

/// <summary>How often the channel gateways' stats are read into the metrics (<c>Metrics:ChannelPollInterval</c>).</summary>
public sealed record MetricsSettings(TimeSpan ChannelPollInterval)
{
    public static MetricsSettings Load(IConfiguration configuration) =>
        new(configuration.GetValue("Metrics:ChannelPollInterval", TimeSpan.FromSeconds(5)));
}

/// <summary>
/// Reads every configured channel gateway's stats on a timer into Prometheus gauges labelled by channel: what waits
/// (queued, in flight, the age of the oldest pending update), the bucket, the pause flag, and the gateway's counts
/// since it started. A gateway that does not answer leaves its last values and counts a failed read.
/// </summary>
internal sealed class ChannelMetrics(
    ChannelDirectory channels, IInventoryClient inventory, MetricsSettings settings, ILogger<ChannelMetrics> log)
    : BackgroundService
{
    private static readonly string[] Labels = ["channel", "marketplace"];

    private static readonly Gauge Queued = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_queued", "Listing updates waiting for a marketplace call.", Labels);
    private static readonly Gauge InFlight = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_in_flight", "Listing updates in a marketplace call (or that may still land).", Labels);
    private static readonly Gauge OldestPending = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_oldest_pending_age_seconds", "Age of the oldest update not yet applied; 0 when none waits.", Labels);
    private static readonly Gauge Tokens = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_tokens", "Calls the channel's token bucket can pay for now.", Labels);
    private static readonly Gauge Paused = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_paused", "1 while an operator has paused the channel.", Labels);
    private static readonly Gauge Listings = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_listings", "Listings mapped to the channel.", Labels);
    private static readonly Gauge Counts = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_updates", "Listing updates by outcome since the gateway started.", [.. Labels, "outcome"]);
    private static readonly Gauge Calls = Prometheus.Metrics.CreateGauge(
        "inventorysync_channel_calls", "Marketplace calls since the gateway started.", Labels);
    private static readonly Counter FailedReads = Prometheus.Metrics.CreateCounter(
        "inventorysync_channel_stats_failures_total", "Reads of a gateway's stats that failed.", Labels);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (channels.All.Count == 0) return;
        using var timer = new PeriodicTimer(settings.ChannelPollInterval);
        do
        {
            foreach (var channel in channels.All)
            {
                string[] labels = [channel.Id, InventorySync.Domain.Listings.Marketplaces.WireName(channel.Marketplace)];
                try
                {
                    Record(labels, await inventory.Channel(new ChannelQueries.GetStats(channel.Id), stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Not answering yet (the node is starting, the gateway is moving) or at all: the next tick tries again.
                    FailedReads.WithLabels(labels).Inc();
                    log.LogDebug(e, "Channel {Channel} did not answer for its metrics", channel.Id);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static void Record(string[] labels, ChannelStats s)
    {
        Queued.WithLabels(labels).Set(s.Queued);
        InFlight.WithLabels(labels).Set(s.InFlight);
        OldestPending.WithLabels(labels).Set(s.OldestPendingAge?.TotalSeconds ?? 0);
        Tokens.WithLabels(labels).Set(s.Tokens);
        Paused.WithLabels(labels).Set(s.Paused ? 1 : 0);
        Listings.WithLabels(labels).Set(s.Listings);
        Calls.WithLabels(labels).Set(s.Calls);
        foreach (var (outcome, count) in new[]
                 {
                     ("applied", s.Applied), ("coalesced", s.Coalesced), ("suppressed", s.Suppressed),
                     ("throttled", s.Throttled), ("failed", s.Failures), ("rejected", s.Rejected),
                 })
        {
            Counts.WithLabels([.. labels, outcome]).Set(count);
        }
    }
}
