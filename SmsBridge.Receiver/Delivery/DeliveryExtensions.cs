namespace SmsBridge.Receiver.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The outbound hand-off: outbox, signed webhooks, retries, circuit breaker, recovery.</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery");
        // The outbox is the retry policy (durable, hours long); the per-request pipeline would only double it.
        builder.Services.AddHttpClient(WebhookSender.ClientName).ConfigureStandardResilience(o => o.Enabled = false);
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<WebhookSigner>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<Recovery>();
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddHostedService<OutboxMonitor>();
        builder.Services.AddHealthChecks().AddCheck<DeliveryHealthCheck>("workers");
        return builder;
    }
}
