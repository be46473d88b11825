using InventorySync.Channels.Ebay;
using InventorySync.Channels.Tests.Support;
using InventorySync.Domain.Channels;
using InventorySync.Domain.Listings;
using static InventorySync.Channels.Tests.Ebay.EbayUpdates;

namespace InventorySync.Channels.Tests.Ebay;

/// <summary>
/// Answers the sandbox never gives, from a scripted server over real HTTP: Trading error codes, answers that echo the
/// token, that are not JSON or XML, that leave a listing out, an HTTP-date Retry-After, and no server at all.
/// </summary>
public sealed class EbayUnusualAnswersTests : IAsyncLifetime
{
    private const string Token = "v^1.1#i^1#f^0#p^3#r^1#t^H4sIAAAAAAAA-very-secret";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private ScriptedReceiver _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("219255", "RequestError", UpdateResult.TransientFailure)]
    [InlineData("10007", "SystemError", UpdateResult.TransientFailure)]
    [InlineData("931", "RequestError", UpdateResult.TransientFailure)]
    [InlineData("518", "RequestError", UpdateResult.Throttled)]
    [InlineData("291", "RequestError", UpdateResult.Gone)]
    [InlineData("1047", "RequestError", UpdateResult.Gone)]
    [InlineData("21916254", "RequestError", UpdateResult.Rejected)]
    [InlineData("240", "RequestError", UpdateResult.Rejected)]
    public async Task A_Trading_error_code_is_classified(string code, string classification, UpdateResult expected)
    {
        _server.Answer(new Reply(200, TradingResponse("ReviseInventoryStatus", "Failure",
            Error(code, "Error", classification, "eBay's own words", "300000000001"))));

        var outcome = Assert.Single(await Trading().SendAsync([Update("300000000001", 2)], default));

        Assert.Equal(expected, outcome.Result);
        Assert.Equal($"eBay error {code}: eBay's own words", outcome.Message);
    }

    [Fact]
    public async Task A_call_level_Trading_error_that_names_no_item_concerns_every_item_of_the_call()
    {
        _server.Answer(new Reply(200, TradingResponse("ReviseInventoryStatus", "Failure",
            Error("21916254", "Error", "RequestError", "Too many", "4"))));

        var outcomes = await Trading().SendAsync([Update("300000000001", 2), Update("300000000002", 3)], default);

        Assert.All(outcomes, o => Assert.Equal(UpdateResult.Rejected, o.Result));
    }

    [Fact]
    public async Task A_Trading_answer_that_leaves_an_item_out_is_a_transient_failure_for_it()
    {
        _server.Answer(new Reply(200, TradingResponse("ReviseInventoryStatus", "Success",
            "<InventoryStatus><ItemID>300000000001</ItemID><Quantity>2</Quantity></InventoryStatus>")));

        var outcomes = await Trading().SendAsync([Update("300000000001", 2), Update("300000000002", 3)], default);

        Assert.Equal(UpdateResult.Applied, outcomes[0].Result);
        Assert.Equal(UpdateResult.TransientFailure, outcomes[1].Result);
    }

    [Fact]
    public async Task A_duplicate_relist_named_only_in_the_error_parameters_is_applied_under_the_item_it_created()
    {
        _server.Answer(request => request.Headers["X-EBAY-API-CALL-NAME"] switch
        {
            "RelistFixedPriceItem" => new Reply(200, TradingResponse("RelistFixedPriceItem", "Failure",
                Error("488", "Error", "RequestError", "Duplicate UUID used.", "1", "300000000077"))),
            _ => new Reply(200, TradingResponse("ReviseInventoryStatus", "Success",
                "<InventoryStatus><ItemID>300000000077</ItemID><Quantity>4</Quantity></InventoryStatus>")),
        });

        var outcome = Assert.Single(await Trading().SendAsync([Update("300000000001", 4, known: ListingStatus.Ended)], default));

        Assert.Equal(new UpdateOutcome("300000000001", UpdateResult.Applied, CurrentListingId: "300000000077"), outcome);
        Assert.Contains("<ItemID>300000000077</ItemID>", _server.Requests[1].Body);
    }

    [Fact]
    public async Task The_token_is_in_no_Trading_outcome_even_when_eBay_echoes_it()
    {
        _server.Answer(new Reply(200, TradingResponse("ReviseInventoryStatus", "Failure",
            Error("931", "Error", "RequestError", $"Token {Token} is invalid.", "300000000001"))));

        var outcome = Assert.Single(await Trading().SendAsync([Update("300000000001", 2)], default));

        Assert.DoesNotContain(Token, outcome.Message);
        Assert.Contains("[redacted]", outcome.Message);
        Assert.Equal(Token, _server.Requests[0].Headers["X-EBAY-API-IAF-TOKEN"]);
    }

    [Fact]
    public async Task The_token_is_in_no_Inventory_outcome_even_when_eBay_echoes_it()
    {
        _server.Answer(request => request.Path.EndsWith("/withdraw", StringComparison.Ordinal)
            ? new Reply(500, $"<html>upstream said: Bearer {Token}</html>", "text/html")
            : new Reply(400, $$"""{"errors":[{"errorId":25002,"message":"bad","longMessage":"The header was Bearer {{Token}}"}]}"""));

        var outcomes = await Inventory().SendAsync([Update("O-1", 2), Ended("O-2")], default);

        Assert.Equal([UpdateResult.Rejected, UpdateResult.TransientFailure], outcomes.Select(o => o.Result));
        Assert.All(outcomes, o =>
        {
            Assert.DoesNotContain(Token, o.Message);
            Assert.Contains("[redacted]", o.Message);
        });
    }

    [Fact]
    public async Task No_server_at_all_is_a_transient_failure_that_does_not_quote_the_token()
    {
        var closed = _server.Url;
        await _server.DisposeAsync();

        var inventory = Assert.Single(await Inventory(closed).SendAsync([Update("O-1", 2)], default));
        var trading = Assert.Single(await Trading(closed).SendAsync([Update("300000000001", 2)], default));

        Assert.All([inventory, trading], o =>
        {
            Assert.Equal(UpdateResult.TransientFailure, o.Result);
            Assert.DoesNotContain(Token, o.Message);
        });
        _server = await ScriptedReceiver.StartAsync();
    }

    [Fact]
    public async Task An_Inventory_answer_that_is_not_json_or_leaves_an_offer_out_is_a_transient_failure()
    {
        _server.Answer(new Reply(200, """{"responses":[{"statusCode":200,"offerId":"O-1"}]}"""));
        var partial = await Inventory().SendAsync([Update("O-1", 2), Update("O-2", 2)], default);
        _server.Answer(new Reply(200, "<html>maintenance</html>", "text/html"));
        var unreadable = Assert.Single(await Inventory().SendAsync([Update("O-1", 2)], default));

        Assert.Equal([UpdateResult.Applied, UpdateResult.TransientFailure], partial.Select(o => o.Result));
        Assert.Equal(UpdateResult.TransientFailure, unreadable.Result);
        Assert.Contains("could not be read", unreadable.Message);
    }

    [Fact]
    public async Task An_offer_eBay_calls_not_available_is_published_then_given_its_quantity()
    {
        var bulkUpdates = 0;
        _server.Answer(request => request.Path.EndsWith("/publish/", StringComparison.Ordinal)
            ? new Reply(200, """{"listingId":"110000000042"}""")
            : Interlocked.Increment(ref bulkUpdates) == 1
                ? new Reply(207, """{"responses":[{"statusCode":400,"offerId":"O-1","errors":[{"errorId":25713,"message":"This Offer is not available : O-1."}]}]}""")
                : new Reply(200, """{"responses":[{"statusCode":200,"offerId":"O-1"}]}"""));

        var outcome = Assert.Single(await Inventory().SendAsync([Update("O-1", 4, known: null)], default));

        Assert.Equal(new UpdateOutcome("O-1", UpdateResult.Applied, CurrentListingId: "110000000042"), outcome);
        Assert.Equal(["bulk_update_price_quantity", "publish", "bulk_update_price_quantity"],
            _server.Requests.Select(r => r.Path.TrimEnd('/').Split('/')[^1]));
    }

    [Fact]
    public async Task A_Retry_After_given_as_an_HTTP_date_is_counted_from_the_adapters_clock()
    {
        _server.Answer(new Reply(429, """{"errors":[{"errorId":2001,"message":"Too many requests"}]}""")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = Now.AddSeconds(30).ToString("R") },
        });

        var outcome = Assert.Single(await Inventory().SendAsync([Update("O-1", 2)], default));

        Assert.Equal(UpdateResult.Throttled, outcome.Result);
        Assert.Equal(TimeSpan.FromSeconds(30), outcome.RetryAfter);
    }

    private EbayInventoryClient Inventory(Uri? root = null) =>
        new(Channel(MarketplaceKind.Ebay, root ?? _server.Url), _http, new FixedClock(Now));

    private EbayTradingClient Trading(Uri? root = null) =>
        new(Channel(MarketplaceKind.EbayTrading, root ?? _server.Url), _http, new FixedClock(Now));

    private static ChannelDefinition Channel(MarketplaceKind kind, Uri root) =>
        TestChannels.Definition("ebay-test", kind, root, Token) with { BatchSize = 4 };

    private static string TradingResponse(string callName, string ack, string content) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><{callName}Response xmlns="urn:ebay:apis:eBLBaseComponents"><Ack>{ack}</Ack>{content}</{callName}Response>""";

    private static string Error(string code, string severity, string classification, string message, params string[] parameters) =>
        $"<Errors><ShortMessage>short</ShortMessage><LongMessage>{message}</LongMessage><ErrorCode>{code}</ErrorCode>" +
        $"<SeverityCode>{severity}</SeverityCode>" +
        string.Concat(parameters.Select((p, i) => $"<ErrorParameters ParamID=\"{i}\"><Value>{p}</Value></ErrorParameters>")) +
        $"<ErrorClassification>{classification}</ErrorClassification></Errors>";
}
