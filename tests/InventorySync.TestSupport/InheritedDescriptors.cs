namespace InventorySync.TestSupport;

/// <summary>
/// Starts long-lived helpers (the node, the PostgreSQL server) through <c>/bin/bash</c> closing every descriptor above
/// stderr first: the test host inherits descriptors from whatever started it (CI's output pipe, say) and .NET passes
/// them on. A helper left behind by a crashed test host would otherwise hold that pipe open and hang its reader.
/// </summary>
internal static class InheritedDescriptors
{
    private const string CloseAndExec =
        "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \"$@\"";

    /// <summary>
    /// The program and arguments that run <paramref name="fileName"/> with only stdin, stdout and stderr (bash, not sh:
    /// dash cannot name descriptors above 9 in a redirection).
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Closed(string fileName, IEnumerable<string> arguments) =>
        OperatingSystem.IsLinux()
            ? ("/bin/bash", ["-c", CloseAndExec, "bash", fileName, ..arguments])
            : (fileName, arguments.ToList());
}
