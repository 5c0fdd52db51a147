using Microsoft.Extensions.Logging;

namespace SmsBridge.Backup.Running;

/// <summary>Synchronous progress reporters (unlike <see cref="Progress{T}"/>, lines keep their order).</summary>
public static class ProgressLines
{
    public static IProgress<string> To(TextWriter writer) => new WriterProgress(writer);

    public static IProgress<string> To(ILogger logger, string prefix = "") => new LoggerProgress(logger, prefix);

    public static IProgress<string> None { get; } = new NoProgress();

    private sealed class WriterProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (writer) writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {value}");
        }
    }

    private sealed class LoggerProgress(ILogger logger, string prefix) : IProgress<string>
    {
        public void Report(string value) => logger.LogInformation("{Prefix}{Progress}", prefix, value);
    }

    private sealed class NoProgress : IProgress<string>
    {
        public void Report(string value)
        {
        }
    }
}
