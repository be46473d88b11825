using InventorySync.Channels.Amazon;
using InventorySync.Domain.Channels;
using static InventorySync.Channels.Tests.Amazon.AmazonTestData;

namespace InventorySync.Channels.Tests.Amazon;

/// <summary>
/// Every request the adapter sends, recorded on its way out, against Amazon's official contracts in Specs/amazon.
/// (The Feeds API's own contract is not among the specs; the feed document it carries is.)
/// </summary>
public sealed class AmazonContractTests : IAsyncLifetime
{
    private readonly RecordingHandler _recorder = new();
    private readonly HttpClient _http;
    private AmazonSandboxHost _sandbox = null!;

    public AmazonContractTests() => _http = new HttpClient(_recorder) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task InitializeAsync() => _sandbox = await AmazonSandboxHost.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Every_PATCH_is_valid_against_the_Listings_Items_contract_with_the_SKU_as_its_path_parameter()
    {
        string[] skus = ["MUG-RED", "MUG/RED 1+1", "tasse-é?&=#", "0"];
        var client = new AmazonListingsClient(_sandbox.Channel(batchSize: 4), _http, TimeProvider.System);

        var outcomes = await client.SendAsync([.. skus.Select((sku, i) => Update(sku, i * 7))], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Applied, o.Result));
        var patches = _recorder.Calls;
        Assert.Equal(skus.Length, patches.Count);
        Assert.All(patches, call => Assert.Empty(AmazonContract.ListingsItemsProblems(call, _sandbox.BaseUrl)));
        Assert.Equal(
            skus.Select(sku => (AmazonSandboxHost.SellerId, sku)),
            patches.Select(c => (Uri.UnescapeDataString(c.Uri.Segments[^2].TrimEnd('/')), Uri.UnescapeDataString(c.Uri.Segments[^1]))));
        Assert.All(skus, sku => Assert.Equal(UpdateResult.Applied, outcomes.Single(o => o.ListingId == sku).Result));
    }

    [Fact]
    public async Task Every_feed_document_is_valid_against_the_listings_feed_schema()
    {
        var client = new AmazonListingsClient(_sandbox.Channel(batchSize: 10), _http, TimeProvider.System, FastFeeds());
        MarketplaceUpdate[] batch = [Update("MUG-RED", 0), Update("MUG/RED 1+1", 5), Update("CAP", 12), Update("HAT", 1)];

        Assert.All(await client.SendAsync(batch, default), o => Assert.Equal(UpdateResult.Applied, o.Result));

        var upload = Assert.Single(_recorder.Calls, c => c.Method == HttpMethod.Put);
        Assert.Equal("application/json; charset=UTF-8", upload.Headers["Content-Type"]);
        Assert.Empty(AmazonContract.FeedDocumentProblems(upload.Body!));
    }

    [Fact]
    public void The_contract_checks_find_what_they_look_for()
    {
        var path = new Uri(_sandbox.BaseUrl + "/listings/2021-08-01/items/A2SELLER/MUG?marketplaceIds=A1PM3R0FR8W9XZ");
        const string valid =
            """{"productType":"PRODUCT","patches":[{"op":"merge","path":"/attributes/fulfillment_availability","value":[{"quantity":1}]}]}""";
        RecordedCall Patch(Uri uri, string body) => new(HttpMethod.Patch, uri, new Dictionary<string, string>(), body);
        IReadOnlyList<string> Problems(Uri uri, string body) => AmazonContract.ListingsItemsProblems(Patch(uri, body), _sandbox.BaseUrl);

        Assert.Empty(Problems(path, valid));
        Assert.NotEmpty(Problems(path, """{"patches":[{"op":"merge","path":"/a"}]}"""));
        Assert.NotEmpty(Problems(path, """{"productType":"PRODUCT","patches":[{"op":"upsert","path":"/a"}]}"""));
        Assert.NotEmpty(Problems(path, valid.Replace("\"productType\"", "\"sku\":\"MUG\",\"productType\"")));
        Assert.NotEmpty(Problems(new Uri(path.AbsoluteUri.Replace("MUG?", "MUG/RED?")), valid));
        Assert.NotEmpty(Problems(new Uri(path.AbsoluteUri.Split('?')[0]), valid));
        Assert.NotEmpty(Problems(new Uri(path + "&locale=fr"), valid));
        Assert.NotEmpty(AmazonContract.ListingsItemsProblems(
            new RecordedCall(HttpMethod.Post, path, new Dictionary<string, string>(), valid), _sandbox.BaseUrl));

        const string feed = """
            {"header":{"sellerId":"A2SELLER","version":"2.0"},
             "messages":[{"messageId":1,"sku":"MUG","operationType":"PATCH","productType":"PRODUCT","patches":[{"op":"merge","path":"/a"}]}]}
            """;
        Assert.Empty(AmazonContract.FeedDocumentProblems(feed));
        Assert.NotEmpty(AmazonContract.FeedDocumentProblems(feed.Replace("\"2.0\"", "\"1.0\"")));
        Assert.NotEmpty(AmazonContract.FeedDocumentProblems(feed.Replace("\"messageId\":1", "\"messageId\":0")));
        Assert.NotEmpty(AmazonContract.FeedDocumentProblems(feed.Replace("\"productType\":\"PRODUCT\",", "")));
        Assert.NotEmpty(AmazonContract.FeedDocumentProblems(feed.Replace("\"sku\":\"MUG\"", "\"sku\":\"MUG\",\"quantity\":1")));
        Assert.NotEmpty(AmazonContract.FeedDocumentProblems(feed.Replace("\"version\":\"2.0\"", "\"version\":\"2.0\",\"marketplaceId\":\"X\"")));
    }
}
