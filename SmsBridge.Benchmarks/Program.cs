using SmsBridge.Benchmarks;

var (options, message) = BenchmarkOptions.Parse(args);
if (options is null)
{
    var help = message == BenchmarkOptions.Help;
    (help ? Console.Out : Console.Error).WriteLine(message);
    return help ? 0 : 2;
}

return await BenchmarkRun.ExecuteAsync(options);
