using SmsBridge.Receiver;
using SmsBridge.Receiver.Delivery;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSmsBridgeData();
builder.AddCacheClient();
builder.AddVerification();
builder.AddDelivery();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVerificationApi();

app.Run();
