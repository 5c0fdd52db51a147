using System.Diagnostics;

namespace SmsBridge.Benchmarks.Ceilings;

/// <summary>Runs a benchmark tool to completion with a time limit and returns what it printed.</summary>
public static class ExternalTool
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment,
        TimeSpan limit)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {limit.TotalSeconds:0} s.");
        }

        var text = await output + await error;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(fileName)} failed ({process.ExitCode}):\n{text}");
        return text;
    }
}
