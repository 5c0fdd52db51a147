namespace SmsBridge.GatewaySimulator.Gateway;

public static class GatewayExtensions
{
    /// <summary>The receiver to post to and the sample backend to take the last registration from, both through service discovery.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var keys = new GatewayKeys(
            builder.Configuration["Secrets:GatewayApiKey"] ?? throw Missing("Secrets__GatewayApiKey"),
            builder.Configuration["Secrets:GatewaySigningKey"] ?? throw Missing("Secrets__GatewaySigningKey"));
        builder.Services.AddSingleton(keys);
        builder.Services.AddHttpClient<SmsSender>(http => http.BaseAddress = new Uri(builder.Configuration["Receiver:Url"] ?? "http://receiver"));
        builder.Services.AddHttpClient<LastRegistration>(http =>
            http.BaseAddress = new Uri(builder.Configuration["SampleBackend:Url"] ?? "http://sample-backend"));
        return builder;
    }


    private static InvalidOperationException Missing(string variable) =>
        new($"{variable} is not set: the gateway simulator runs in the AppHost's graph, which sets it.");
}

/// <summary>The keys a gateway phone is configured with: the API key (plain shapes) and the Android app's signing key.</summary>
public sealed record GatewayKeys(string ApiKey, string SigningKey);
