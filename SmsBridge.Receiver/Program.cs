using SmsBridge.Receiver;
using SmsBridge.Receiver.Delivery;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSmsBridgeData();
builder.AddRedisClient("cache");
builder.AddVerification();
builder.AddDelivery();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVerificationApi();

app.Run();
