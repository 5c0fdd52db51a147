using SmsBridge.Receiver;
using SmsBridge.Receiver.Delivery;
using SmsBridge.Receiver.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ReceiverRequiredSecrets.Settings);
builder.AddSmsBridgeData(resetConnectionsOnClose: false); // the receiver leaves no session state on a connection
builder.AddCacheClient();
builder.AddVerification();
builder.AddDelivery();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapVerificationApi();

app.Run();
