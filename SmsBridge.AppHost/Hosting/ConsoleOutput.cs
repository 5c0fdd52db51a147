namespace SmsBridge.AppHost.Hosting;

/// <summary>What the AppHost prints in run mode: resource-prefixed log lines and the resource table.</summary>
internal static class ConsoleOutput
{
    private static readonly Lock Gate = new();

    public static void Line(string resource, string line)
    {
        lock (Gate) Console.Out.WriteLine($"{resource,-10}| {line}");
    }

    public static void Info(string message)
    {
        lock (Gate) Console.Out.WriteLine($"apphost   | {message}");
    }

    public static void ResourceTable(IEnumerable<Resource> resources)
    {
        lock (Gate)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"  {"RESOURCE",-22} {"STATE",-10} ENDPOINT");
            foreach (var resource in resources.Where(r => r is not ParameterResource))
            {
                var endpoint = resource switch
                {
                    ProjectResource p => $"{p.HttpEndpoint}  (metrics: {p.ManagementEndpoint}metrics)",
                    PostgresServerResource pg => $"tcp://127.0.0.1:{pg.Port}",
                    RedisResource r => $"tcp://127.0.0.1:{r.Port}",
                    _ => "",
                };
                Console.Out.WriteLine($"  {resource.Name,-22} {resource.State,-10} {endpoint}");
            }

            Console.Out.WriteLine();
            Console.Out.WriteLine("  Press Ctrl+C to stop everything.");
            Console.Out.WriteLine();
        }
    }
}
