namespace SmsBridge.ServiceDefaults.Logging;

/// <summary>Bound from <c>Logging:Files</c>: where each service writes its rotating log files.</summary>
public sealed class LogFileOptions
{
    /// <summary>The shared root; each service writes into <c>{Directory}/{resource}/</c>. Empty turns files off.</summary>
    public string? Directory { get; set; }

    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    public long MaxTotalBytes { get; set; } = 100 * 1024 * 1024;

    public int MaxAgeDays { get; set; } = 7;
}
