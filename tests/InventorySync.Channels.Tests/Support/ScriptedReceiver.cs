using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InventorySync.Channels.Tests.Support;

/// <summary>A request as the receiver saw it; <see cref="Path"/> includes the query string.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the receiver answers; <see cref="NeverAnswers"/> holds the request until the client abandons it.</summary>
public sealed record Reply(int Status, string Body = "", string ContentType = "application/json")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public bool NeverAnswers { get; init; }
}

/// <summary>A real HTTP server on a free loopback port that records every request and answers as scripted.</summary>
public sealed class ScriptedReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Func<RecordedRequest, Reply> _respond = _ => new Reply(200);

    private ScriptedReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.Run(HandleAsync);
    }

    /// <summary>The bound root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Completes when a request the receiver never answered was aborted by the client.</summary>
    public Task Abandoned => _abandoned.Task;

    public static async Task<ScriptedReceiver> StartAsync()
    {
        var receiver = new ScriptedReceiver();
        await receiver._app.StartAsync();
        // Once started, the application's URLs are the addresses Kestrel bound, with the port it picked.
        receiver.Url = new Uri(receiver._app.Urls.Single().TrimEnd('/') + "/");
        return receiver;
    }

    public void Answer(Reply reply) => _respond = _ => reply;

    public void Answer(Func<RecordedRequest, Reply> respond) => _respond = respond;

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync());
        _requests.Enqueue(request);

        var reply = _respond(request);
        if (reply.NeverAnswers)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _abandoned.TrySetResult();
            }
            return;
        }
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers) context.Response.Headers[name] = value;
        if (reply.Body.Length > 0)
        {
            context.Response.ContentType = reply.ContentType;
            await context.Response.WriteAsync(reply.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
