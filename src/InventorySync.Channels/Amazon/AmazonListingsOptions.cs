using InventorySync.Domain.Channels;

namespace InventorySync.Channels.Amazon;

/// <summary>
/// How the Amazon adapter chooses between its two write paths, and how it waits for a feed.
/// </summary>
/// <param name="FeedThreshold">
/// A batch of more updates than this goes as one JSON_LISTINGS_FEED instead of one PATCH per SKU. By default what the
/// channel's PATCH rate clears in about a minute (<see cref="ChannelDefinition.RatePerSecond"/> × 60: 300 at 5/s).
/// </param>
/// <param name="FeedPollInterval">
/// How long between two <c>getFeed</c> reads while a feed is processed (Amazon allows 2 a second; a feed takes minutes).
/// </param>
public sealed record AmazonListingsOptions(int FeedThreshold, TimeSpan FeedPollInterval)
{
    public static readonly TimeSpan DefaultFeedPollInterval = TimeSpan.FromSeconds(15);

    public static AmazonListingsOptions For(ChannelDefinition channel) =>
        new((int)Math.Min(int.MaxValue, Math.Floor(channel.RatePerSecond * 60)), DefaultFeedPollInterval);
}
