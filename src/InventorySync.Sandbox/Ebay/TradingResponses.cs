using System.Globalization;
using System.Text;
using System.Xml.Linq;
using InventorySync.Sandbox.Common;

namespace InventorySync.Sandbox.Ebay;

/// <summary>
/// Writes Trading API answers: <c>{Call}Response</c> in eBay's namespace with Timestamp, Ack, Errors, Version and
/// Build, then the call's own fields. The Trading API answers refusals with HTTP 200 and an error code (931 for the
/// token, 518 for the call limit), and a server error with its status and error 10007.
/// </summary>
internal sealed class TradingResponses(TimeProvider clock) : IApiDialect
{
    public static readonly XNamespace Ns = "urn:ebay:apis:eBLBaseComponents";

    private const string Version = "1423";
    private const string Build = "sandbox";

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Success, Warning, Failure, or PartialFailure when some entries were applied and others failed.</summary>
    public static string Ack(IEnumerable<TradingError> errors, bool anyApplied)
    {
        var problems = errors.ToList();
        return problems.All(problem => problem.IsWarning)
            ? problems.Count == 0 ? "Success" : "Warning"
            : anyApplied ? "PartialFailure" : "Failure";
    }

    public IResult Answer(string callName, string ack, IEnumerable<TradingError> errors, params IEnumerable<XElement> content) =>
        Write(callName, ack, errors, content, StatusCodes.Status200OK);

    public IResult Failure(string callName, TradingError error, int statusCode = StatusCodes.Status200OK) =>
        Write(callName, "Failure", [error], [], statusCode);

    public IResult Unauthorized(ApiOperation operation) => Failure(operation.Name, TradingErrors.InvalidAuthToken);

    public IResult Throttled(ApiOperation operation, TimeSpan retryAfter) =>
        Failure(operation.Name, TradingErrors.CallUsageLimitReached);

    public IResult ServerError(ApiOperation operation, int statusCode) =>
        Failure(operation.Name, TradingErrors.InternalError(null), statusCode);

    public static XElement Error(TradingError error) =>
        new(Ns + "Errors",
            new XElement(Ns + "ShortMessage", error.ShortMessage),
            new XElement(Ns + "LongMessage", error.LongMessage),
            new XElement(Ns + "ErrorCode", error.Code),
            new XElement(Ns + "SeverityCode", error.IsWarning ? "Warning" : "Error"),
            error.Parameters.Select((value, index) =>
                new XElement(Ns + "ErrorParameters", new XAttribute("ParamID", index), new XElement(Ns + "Value", value))),
            new XElement(Ns + "ErrorClassification", error.IsSystemError ? "SystemError" : "RequestError"));

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private IResult Write(string callName, string ack, IEnumerable<TradingError> errors, IEnumerable<XElement> content, int statusCode)
    {
        var response = new XElement(Ns + $"{callName}Response",
            new XElement(Ns + "Timestamp", Time(Now)),
            new XElement(Ns + "Ack", ack),
            errors.Select(Error),
            new XElement(Ns + "Version", Version),
            new XElement(Ns + "Build", Build),
            content);
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + response.ToString(SaveOptions.DisableFormatting);
        return Results.Text(xml, "text/xml; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
