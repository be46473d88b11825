using System.Diagnostics;
using System.Text;

namespace InventorySync.TestSupport;

/// <summary>Runs a short-lived command to completion and fails loudly, with its output, when it does not succeed.</summary>
internal static class CommandRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var command = $"`{fileName} {string.Join(' ', arguments)}`";
        var (program, programArguments) = InheritedDescriptors.Closed(fileName, arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in programArguments) info.ArgumentList.Add(argument);

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
            throw new InvalidOperationException($"{command} did not finish within {timeout}:\n{output}");
        }

        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}:\n{output}");
        lock (output) return output.ToString();
    }
}
