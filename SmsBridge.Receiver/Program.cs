using SmsBridge.Receiver;
using SmsBridge.Receiver.Delivery;
using SmsBridge.Receiver.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ReceiverRequiredSecrets.Settings);
builder.AddSmsBridgeData();
builder.AddCacheClient();
builder.AddVerification();
builder.AddDelivery();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVerificationApi();

app.Run();
