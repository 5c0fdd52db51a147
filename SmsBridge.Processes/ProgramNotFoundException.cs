namespace SmsBridge.Processes;

/// <summary>The program is not on this machine (not a file, not on PATH).</summary>
public sealed class ProgramNotFoundException(string fileName)
    : InvalidOperationException($"Could not start {fileName}: it was not found. Is it installed (scripts/install-prerequisites.sh)?");
