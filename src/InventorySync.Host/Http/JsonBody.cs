using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace InventorySync.Host.Http;

/// <summary>A request body as read: the value, or the problem to answer instead.</summary>
internal readonly record struct Body<T>(T? Value, IResult? Problem) where T : class;

/// <summary>
/// Reads request bodies with the bridge's own limits and error answers: a body over the limit is a 413 whether it
/// announces its length or comes chunked, and malformed JSON, a value of the wrong type or out of range is a 400
/// naming the field. Nothing is read past the limit.
/// </summary>
internal static class JsonBody
{
    public static async ValueTask<Body<T>> Read<T>(HttpContext http, long limit, bool allowEmpty = false)
        where T : class
    {
        if (http.Request.ContentLength > limit) return new Body<T>(null, Problems.TooLarge(limit));

        var reader = http.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(http.RequestAborted);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.End);
                return new Body<T>(null, Problems.TooLarge(limit));
            }
            if (read.IsCompleted) break;
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            if (read.Buffer.IsEmpty)
            {
                return allowEmpty
                    ? new Body<T>(null, null)
                    : new Body<T>(null, Problems.Validation("body", "The request body is empty: send a JSON object."));
            }
            var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()
                .Value.SerializerOptions;
            var value = Parse<T>(read.Buffer, options);
            return value is null && !allowEmpty
                ? new Body<T>(null, Problems.Validation("body", "The request body must be a JSON object."))
                : new Body<T>(value, null);
        }
        catch (JsonException e)
        {
            return new Body<T>(null, Malformed(e));
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private static T? Parse<T>(ReadOnlySequence<byte> json, JsonSerializerOptions options)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            MaxDepth = options.MaxDepth,
            CommentHandling = options.ReadCommentHandling,
            AllowTrailingCommas = options.AllowTrailingCommas,
        });
        var value = JsonSerializer.Deserialize<T>(ref reader, options);
        // Deserializing from a reader stops after the first value; anything after it but whitespace is malformed.
        if (reader.Read()) throw new JsonException("Unexpected content after the JSON value.", null, null, null);
        return value;
    }

    private static IResult Malformed(JsonException e)
    {
        var field = e.Path?.TrimStart('$').TrimStart('.') is { Length: > 0 } path ? path : null;
        var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        var error = field is null
            ? $"The request body is not a valid JSON object{at}."
            : $"The request body is not valid JSON, or the value of {field} is not what this call takes " +
              $"(a wrong type, a number out of range, or a repeated field){at}.";
        return Problems.Validation(field ?? "body", error);
    }
}
