using SmsBridge.Benchmarks;
using SmsBridge.Benchmarks.Load;

// The benchmark starts itself again as its load generator, so that the load's CPU is measured apart from the AppHost's.
if (args is [LoadGenerator.Command, .. var load])
{
    if (LoadSpec.Parse(load) is not { } spec)
    {
        await Console.Error.WriteLineAsync("The load generator is started by the benchmark; see --help.");
        return 2;
    }

    return await LoadGenerator.RunAsync(spec);
}

var (options, message) = BenchmarkOptions.Parse(args);
if (options is null)
{
    var help = message == BenchmarkOptions.Help;
    (help ? Console.Out : Console.Error).WriteLine(message);
    return help ? 0 : 2;
}

return await BenchmarkRun.ExecuteAsync(options);
