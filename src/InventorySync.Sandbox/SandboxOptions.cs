namespace InventorySync.Sandbox;

/// <summary>How the sandbox marketplaces behave; bound from the <c>Sandbox</c> configuration section.</summary>
public sealed class SandboxOptions
{
    public EbaySandboxOptions Ebay { get; set; } = new();

    public AmazonSandboxOptions Amazon { get; set; } = new();

    /// <summary>Every problem with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Problems() => [.. Ebay.Problems("Ebay"), .. Amazon.Problems("Amazon")];
}

/// <summary>What every sandbox marketplace has: latency, time scaling, credentials and the size of its update log.</summary>
public abstract class MarketplaceSandboxOptions
{
    /// <summary>Added to every API call before it is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>A random extra delay between zero and this, on top of <see cref="Latency"/>.</summary>
    public TimeSpan LatencyJitter { get; set; }

    /// <summary>
    /// How many times faster than real time the minute- and hour-scale limits run (feed windows, feed processing):
    /// 60 makes a 5-minute window last 5 seconds. Per-second rate limits are not scaled.
    /// </summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>The only access token accepted; any non-empty token when unset.</summary>
    public string? AccessToken { get; set; }

    /// <summary>How many applied updates the log keeps; the oldest go first.</summary>
    public int LogCapacity { get; set; } = 100_000;

    internal virtual IEnumerable<string> Problems(string section)
    {
        if (Latency < TimeSpan.Zero || LatencyJitter < TimeSpan.Zero)
        {
            yield return $"{section}: Latency and LatencyJitter cannot be negative.";
        }

        if (!(TimeScale > 0))
        {
            yield return $"{section}: TimeScale must be greater than 0.";
        }

        if (LogCapacity < 1)
        {
            yield return $"{section}: LogCapacity must be at least 1.";
        }
    }
}

/// <summary>A token bucket: <see cref="PerSecond"/> tokens a second up to <see cref="Burst"/>; 0 per second is no limit.</summary>
public sealed class RateLimitOptions
{
    public double PerSecond { get; set; }

    public int Burst { get; set; }

    internal IEnumerable<string> Problems(string name)
    {
        if (PerSecond < 0 || double.IsNaN(PerSecond) || double.IsInfinity(PerSecond))
        {
            yield return $"{name}: PerSecond must be a finite number, 0 or more.";
        }

        if (PerSecond > 0 && Burst < 1)
        {
            yield return $"{name}: Burst must be at least 1.";
        }
    }

    internal RateLimitOptions Copy() => new() { PerSecond = PerSecond, Burst = Burst };
}

public sealed class EbaySandboxOptions : MarketplaceSandboxOptions
{
    /// <summary>The Inventory API (REST) calls: bulk updates, withdraw, publish.</summary>
    public RateLimitOptions InventoryRateLimit { get; set; } = new() { PerSecond = 10, Burst = 10 };

    /// <summary>The Trading API (XML) calls: 6,000 per 15 seconds per seller.</summary>
    public RateLimitOptions TradingRateLimit { get; set; } = new() { PerSecond = 400, Burst = 6000 };

    /// <summary>Entries (offers, or inventory items without offers) in one <c>bulk_update_price_quantity</c> call.</summary>
    public int BulkUpdateLimit { get; set; } = 25;

    /// <summary>InventoryStatus containers in one <c>ReviseInventoryStatus</c> call.</summary>
    public int ReviseInventoryStatusLimit { get; set; } = 4;

    /// <summary>EndItemRequestContainers in one <c>EndItems</c> call.</summary>
    public int EndItemsLimit { get; set; } = 10;

    /// <summary>
    /// The seller's out-of-stock control preference, for the listings the sandbox creates: with it quantity 0 keeps a
    /// listing alive but hidden; without it a listing that sells out ends and quantity 0 is refused or ends it.
    /// </summary>
    public bool OutOfStockControl { get; set; }

    internal override IEnumerable<string> Problems(string section) =>
        base.Problems(section)
            .Concat(InventoryRateLimit.Problems($"{section}:InventoryRateLimit"))
            .Concat(TradingRateLimit.Problems($"{section}:TradingRateLimit"))
            .Concat(BulkUpdateLimit < 1 || ReviseInventoryStatusLimit < 1 || EndItemsLimit < 1
                ? [$"{section}: BulkUpdateLimit, ReviseInventoryStatusLimit and EndItemsLimit must be at least 1."]
                : []);
}

public sealed class AmazonSandboxOptions : MarketplaceSandboxOptions
{
    /// <summary><c>patchListingsItem</c>: 5 requests a second, burst 5.</summary>
    public RateLimitOptions ListingsRateLimit { get; set; } = new() { PerSecond = 5, Burst = 5 };

    /// <summary><c>createFeed</c> calls allowed in one <see cref="FeedWindow"/> (scaled).</summary>
    public int FeedsPerWindow { get; set; } = 5;

    public TimeSpan FeedWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a feed waits IN_QUEUE before processing starts (scaled).</summary>
    public TimeSpan FeedQueueTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a feed stays IN_PROGRESS before it is applied and DONE (scaled).</summary>
    public TimeSpan FeedProcessingTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages in one JSON_LISTINGS_FEED document.</summary>
    public int FeedMessageLimit { get; set; } = 25_000;

    /// <summary>Feed documents kept (uploads and processing reports); the oldest go first.</summary>
    public int DocumentCapacity { get; set; } = 1_000;

    internal override IEnumerable<string> Problems(string section) =>
        base.Problems(section)
            .Concat(ListingsRateLimit.Problems($"{section}:ListingsRateLimit"))
            .Concat(FeedsPerWindow < 1 || FeedMessageLimit < 1 || DocumentCapacity < 1
                ? [$"{section}: FeedsPerWindow, FeedMessageLimit and DocumentCapacity must be at least 1."]
                : [])
            .Concat(FeedWindow <= TimeSpan.Zero || FeedQueueTime < TimeSpan.Zero || FeedProcessingTime < TimeSpan.Zero
                ? [$"{section}: FeedWindow must be positive; FeedQueueTime and FeedProcessingTime cannot be negative."]
                : []);
}
