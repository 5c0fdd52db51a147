var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSmsBridgeData();
builder.AddRedisClient("cache");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
