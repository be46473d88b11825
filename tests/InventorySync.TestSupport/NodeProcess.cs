using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace InventorySync.TestSupport;

/// <summary>
/// The InventorySync node as a real OS process (<c>dotnet InventorySync.Host.dll</c>) on a free HTTP port and
/// a free cluster port, so tests can SIGKILL it, SIGTERM it and start it again on the same database.
/// Everything it prints is kept in <see cref="Output"/>.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int OutputLimit = 400_000;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri BaseAddress { get; }

    /// <summary>A client pointing at the node.</summary>
    public HttpClient Http { get; }

    public int ProcessId { get; private set; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the node printed on stdout and stderr so far (the start is dropped past ~400 KB).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Starts the node with <paramref name="arguments"/> (configuration overrides such as
    /// <c>--Persistence:Provider=postgres</c>) and <paramref name="environment"/>, in <paramref name="workingDirectory"/>.
    /// The HTTP port and the cluster port are chosen here.
    /// </summary>
    public static NodeProcess Start(
        string workingDirectory, IEnumerable<string>? arguments = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var hostDll = HostAssembly.Path;
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        string[] nodeArguments =
        [
            hostDll, "--urls", baseAddress.ToString().TrimEnd('/'), "--Cluster:Port=0", ..arguments ?? [],
        ];
        var (program, programArguments) = InheritedDescriptors.Closed(DotnetHost(), nodeArguments);
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in programArguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {hostDll}");
        node.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        node.Append($"[test] started pid {process.Id}: {DotnetHost()} {string.Join(' ', nodeArguments)}");
        return node;
    }

    /// <summary>Polls <c>/healthz/ready</c> until it answers 200; throws with the node's output otherwise.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        string last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"The node exited with {_process.ExitCode} before it was ready.\n{Output}");
            try
            {
                using var response = await probe.GetAsync("/healthz/ready", ct);
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                last = e.Message;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
        throw new TimeoutException($"The node was not ready within {timeout} (last probe: {last}).\n{Output}");
    }

    /// <summary>SIGKILL: the process and its children die at once, with no chance to flush anything.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        Append("[test] SIGKILL");
        _process.Kill(entireProcessTree: true);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            throw new TimeoutException($"The node (pid {ProcessId}) did not die within 30 s of SIGKILL");
    }

    /// <summary>SIGTERM, then waits for the process to exit; kills it and throws if it does not exit in time.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited) return;
        Append("[test] SIGTERM");
        Posix.Signal(_process.Id, Posix.SigTerm);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"The node did not exit within {timeout} of SIGTERM.\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited) Kill();
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(drained.Token);
        }
        catch (OperationCanceledException)
        {
            Append("[test] the node's output did not close within 30 s of its exit");
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length > OutputLimit) _output.Remove(0, _output.Length - OutputLimit / 2);
            _output.AppendLine(line);
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path)
            ? path
            : "dotnet";

    /// <summary>Where the built InventorySync.Host.dll is, for the configuration the tests were built in.</summary>
    public static class HostAssembly
    {
        private const string FileName = "InventorySync.Host.dll";

        public static string Path => _path.Value;

        private static readonly Lazy<string> _path = new(Find);

        private static string Find()
        {
            // The test run's configuration: this assembly is built with the tests (the entry assembly is the runner's).
            var configuration = typeof(NodeProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
                ?? "Debug";
            var candidates = new List<string>();
            var repoRoot = RepositoryRoot();
            if (repoRoot is not null)
                candidates.Add(System.IO.Path.Combine(repoRoot, "src", "InventorySync.Host", "bin", configuration, "net10.0", FileName));
            candidates.Add(System.IO.Path.Combine(AppContext.BaseDirectory, FileName));

            foreach (var candidate in candidates)
            {
                var runtimeConfig = System.IO.Path.ChangeExtension(candidate, ".runtimeconfig.json");
                if (File.Exists(candidate) && File.Exists(runtimeConfig)) return candidate;
            }
            throw new FileNotFoundException(
                $"Could not find a runnable {FileName} (with its runtimeconfig.json) for configuration {configuration}; " +
                $"looked in: {string.Join(", ", candidates)}. Build src/InventorySync.Host first.");
        }

        private static string? RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "InventorySync.sln"))) return dir.FullName;
            return null;
        }
    }
}
