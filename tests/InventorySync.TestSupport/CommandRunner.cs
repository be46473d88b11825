using System.Diagnostics;
using System.Text;

namespace InventorySync.TestSupport;

/// <summary>Runs a short-lived command to completion and fails loudly, with its output, when it does not succeed.</summary>
internal static class CommandRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Describe(info)} did not finish within {timeout}:\n{output}");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Describe(info)} exited with {process.ExitCode}:\n{output}");
        lock (output) return output.ToString();
    }

    private static string Describe(ProcessStartInfo info) => $"`{info.FileName} {string.Join(' ', info.ArgumentList)}`";
}
