using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SmsBridge.ServiceDefaults.Logging;

/// <summary>
/// Console (JSON in Production, one readable line otherwise) and rotating files, both redacted.
/// Lines go through a bounded channel to one writer so logging never blocks a request on I/O.
/// </summary>
internal sealed class RedactingLoggerProvider : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(20_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly LogRedactor _redactor;
    private readonly bool _json;
    private readonly RotatingLogFile? _file;
    private readonly Task _writer;

    public RedactingLoggerProvider(LogRedactor redactor, bool json, RotatingLogFile? file)
    {
        _redactor = redactor;
        _json = json;
        _file = file;
        _writer = Task.Run(WriteLinesAsync);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
        _file?.Dispose();
    }

    private async Task WriteLinesAsync()
    {
        var stdout = Console.Out;
        await foreach (var line in _lines.Reader.ReadAllAsync())
        {
            await stdout.WriteLineAsync(line);
            _file?.WriteLine(line);
            if (_lines.Reader.Count == 0)
            {
                await stdout.FlushAsync();
                _file?.Flush();
            }
        }
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        message = _redactor.Redact(message);
        var error = exception is null ? null : _redactor.Redact(exception.ToString());
        var activity = Activity.Current;
        string line;
        if (_json)
        {
            line = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["timestamp"] = DateTime.UtcNow.ToString("O"),
                ["level"] = level.ToString(),
                ["category"] = category,
                ["message"] = message,
                ["exception"] = error,
                ["trace_id"] = activity?.TraceId.ToString(),
                ["span_id"] = activity?.SpanId.ToString(),
            });
        }
        else
        {
            var builder = new StringBuilder()
                .Append(DateTime.UtcNow.ToString("HH:mm:ss.fff")).Append(' ')
                .Append(ShortLevel(level)).Append(' ').Append(category).Append(": ").Append(message);
            if (error is not null) builder.Append('\n').Append(error);
            line = builder.ToString();
        }

        _lines.Writer.TryWrite(line);
    }

    private static string ShortLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class Logger(RedactingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(category, logLevel, formatter(state, exception), exception);
        }
    }
}
