using SmsBridge.Receiver;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSmsBridgeData();
builder.AddRedisClient("cache");
builder.AddVerification();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVerificationApi();

app.Run();
