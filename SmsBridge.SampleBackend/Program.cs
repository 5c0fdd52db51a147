using SmsBridge.SampleBackend.Onboarding;
using SmsBridge.SampleBackend.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOnboarding();
builder.AddWebhooks();
builder.Services.AddRazorPages();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseScriptlessPages();
app.MapRazorPages();
app.MapRegistrationsApi();
app.MapWebhookApi();

app.Run();
