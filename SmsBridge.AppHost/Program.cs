using SmsBridge.AppHost;
using SmsBridge.AppHost.Hosting;
using SmsBridge.AppHost.Publishing;

if (PublishCommand.IsRequested(args)) return await PublishCommand.RunAsync(args, Console.Out);

var builder = DistributedApplication.CreateBuilder(args);

AppGraph.Declare(builder);

return await builder.Build().RunAsync();
