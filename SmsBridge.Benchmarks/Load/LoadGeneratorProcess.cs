using System.Diagnostics;
using System.Text.Json;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Starts the load generator as a child of this process (the same executable, <c>load ...</c>), forwards its progress,
/// and takes a snapshot at each end of its measured window while it runs. See <see cref="LoadGenerator"/> for the protocol.
/// </summary>
public static class LoadGeneratorProcess
{
    public static async Task<(LoadResult Result, T AtStart, T AtEnd)> RunAsync<T>(LoadSpec spec, IReadOnlyDictionary<string, string> environment,
        Func<LoadGeneratorPids, Task<T>> snapshotAtStart, Func<LoadGeneratorPids, Task<T>> snapshotAtEnd) where T : class
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        // Under 'dotnet SmsBridge.Benchmarks.dll' the process is the host; the child needs the assembly named again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") info.ArgumentList.Add(typeof(LoadGenerator).Assembly.Location);
        foreach (var argument in spec.Arguments()) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the load generator.");
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line) Progress.Line("  " + line);
        });

        // The generator waits at each mark until the snapshot is taken.
        async Task<T> ReleaseAfter(Task<T> snapshot)
        {
            var taken = await snapshot;
            await process.StandardInput.WriteLineAsync();
            await process.StandardInput.FlushAsync();
            return taken;
        }

        using var limit = new CancellationTokenSource(spec.Warmup + spec.Duration + TimeSpan.FromMinutes(3));
        T? atStart = null, atEnd = null;
        LoadResult? result = null;
        int? backend = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.StartsWith("@backend ", StringComparison.Ordinal)) backend = int.Parse(line[9..], System.Globalization.CultureInfo.InvariantCulture);
                else if (line == "@measuring") atStart = await ReleaseAfter(snapshotAtStart(new LoadGeneratorPids(process.Id, backend)));
                else if (line == "@measured") atEnd = await ReleaseAfter(snapshotAtEnd(new LoadGeneratorPids(process.Id, backend)));
                else if (line.StartsWith("@result ", StringComparison.Ordinal)) result = JsonSerializer.Deserialize<LoadResult>(line[8..], LoadResult.Json);
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The load generator ({spec.Scenario}) did not finish in time.");
        }

        await errors;
        if (process.ExitCode != 0 || result is null || atStart is null || atEnd is null)
        {
            throw new InvalidOperationException($"The load generator ({spec.Scenario}) failed (exit {process.ExitCode}); its output is above.");
        }

        return (result, atStart, atEnd);
    }
}

/// <summary>The load generator's process, and the PostgreSQL backend its outcome watcher holds.</summary>
public sealed record LoadGeneratorPids(int Process, int? PostgresBackend);
