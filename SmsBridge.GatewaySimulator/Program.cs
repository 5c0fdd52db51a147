using SmsBridge.GatewaySimulator.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGateway();
builder.Services.AddRazorPages();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseScriptlessPages();
app.MapRazorPages();

app.Run();
