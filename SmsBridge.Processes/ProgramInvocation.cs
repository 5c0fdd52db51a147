namespace SmsBridge.Processes;

/// <summary>One run of an external program: its file and arguments as a list (never a shell string) and how to run it.</summary>
public sealed record ProgramInvocation(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables set for the child; a null value removes one it would inherit.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>Run as this account (through setpriv) when we are root; initdb, postgres and pgbouncer refuse root.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>When to give up: the process tree is killed and a <see cref="TimeoutException"/> thrown. None by default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Text written to stdin, which is then closed (a password a prompt reads); without it stdin is closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Called with each line a started program (<see cref="ExternalProgram.Start"/>) writes to stdout.</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>Called with each line the program writes to stderr (progress, warnings).</summary>
    public Action<string>? OnErrorLine { get; init; }

    public string Name => Path.GetFileName(FileName);
}
