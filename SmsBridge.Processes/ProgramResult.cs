namespace SmsBridge.Processes;

/// <summary>How a program ended: its exit code, its stdout (when captured) and the end of its stderr.</summary>
public sealed record ProgramResult(string Name, int ExitCode, string Output, string Error)
{
    private const int TailLines = 40;

    public bool Succeeded => ExitCode == 0;

    public string All => Output + Error;

    /// <summary>The last lines of stderr, for an error message.</summary>
    public string ErrorTail => string.Join('\n', Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(TailLines));

    /// <summary>This result when the program succeeded; otherwise an exception naming it, its exit code and its stderr tail.</summary>
    public ProgramResult EnsureSucceeded() => Succeeded
        ? this
        : throw new InvalidOperationException($"{Name} failed (exit code {ExitCode}): {ErrorTail}");
}
