using SmsBridge.AppHost;
using SmsBridge.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

AppGraph.Declare(builder);

return await builder.Build().RunAsync();
