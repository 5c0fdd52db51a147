namespace SmsBridge.ServiceDefaults.Logging;

/// <summary>
/// Appends to <c>{folder}/{resource}-{UTC start}.log</c>, starting a new file past the size limit and
/// deleting the oldest files beyond the age and total-size limits. Only the single writer thread calls it.
/// </summary>
internal sealed class RotatingLogFile : IDisposable
{
    private readonly string _folder;
    private readonly string _resource;
    private readonly LogFileOptions _options;
    private StreamWriter? _writer;

    public RotatingLogFile(string folder, string resource, LogFileOptions options)
    {
        _folder = folder;
        _resource = resource;
        _options = options;
        Directory.CreateDirectory(folder);
        Open();
    }

    public void WriteLine(string line)
    {
        if (_writer is null) return;
        _writer.WriteLine(line);
        if (_writer.BaseStream.Length > _options.MaxFileBytes)
        {
            _writer.Dispose();
            Open();
        }
    }

    public void Flush() => _writer?.Flush();

    public void Dispose() => _writer?.Dispose();

    private void Open()
    {
        var name = $"{_resource}-{DateTime.UtcNow:yyyyMMdd-HHmmssfff}.log";
        var stream = new FileStream(Path.Combine(_folder, name), FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream) { AutoFlush = false };
        Prune();
    }

    private void Prune()
    {
        var files = new DirectoryInfo(_folder).GetFiles("*.log").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        var cutoff = DateTime.UtcNow.AddDays(-_options.MaxAgeDays);
        long total = 0;
        foreach (var file in files.Skip(1))
        {
            total += file.Length;
            if (file.LastWriteTimeUtc < cutoff || total > _options.MaxTotalBytes) file.Delete();
        }
    }
}
