using System.Text.RegularExpressions;

namespace SmsBridge.Admin.Monitoring;

public sealed record LogFile(string Service, string Name, long SizeBytes, DateTimeOffset ModifiedAt);

/// <summary>
/// The rotating files the logging layer writes under <c>Logging:Files:Directory/{service}/</c>. A download names a
/// service and a file, and is served only if that exact pair is in the listing: no path from the request ever
/// reaches the file system, so traversal is impossible; symbolic links are skipped.
/// </summary>
public sealed partial class LogFiles(IConfiguration configuration)
{
    private string? Root => configuration["Logging:Files:Directory"] is { Length: > 0 } root ? Path.GetFullPath(root) : null;

    public IReadOnlyList<LogFile> List()
    {
        if (Root is not { } root || !Directory.Exists(root)) return [];
        var files = new List<LogFile>();
        foreach (var folder in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (folder.LinkTarget is not null || !ServiceName().IsMatch(folder.Name)) continue;
            foreach (var file in folder.EnumerateFiles("*.log"))
            {
                if (file.LinkTarget is not null || !FileName().IsMatch(file.Name)) continue;
                files.Add(new LogFile(folder.Name, file.Name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
            }
        }

        return [.. files.OrderBy(f => f.Service, StringComparer.Ordinal).ThenByDescending(f => f.ModifiedAt)];
    }

    /// <summary>The named file of the service, or its newest when <paramref name="name"/> is null, with its full path.</summary>
    public (LogFile File, string Path)? Find(string service, string? name)
    {
        var match = List().Where(f => f.Service == service && (name is null || f.Name == name)).MaxBy(f => f.ModifiedAt);
        return match is null ? null : (match, Path.Combine(Root!, match.Service, match.Name));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}-[0-9]{8}-[0-9]{9}\.log$")]
    private static partial Regex FileName();
}
