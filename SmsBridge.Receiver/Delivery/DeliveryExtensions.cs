using SmsBridge.Data.Outbox;

namespace SmsBridge.Receiver.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The outbound hand-off: outbox, signed webhooks, retries, circuit breaker, recovery.</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration("Delivery");
        // The outbox is the retry policy (durable, hours long) and WebhookSender times each attempt; the standard
        // handler the defaults put on every client would retry inside one attempt and hide it from the outbox.
        // RemoveAllResilienceHandlers is the package's way to opt one client out of the defaults (still marked experimental).
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(WebhookSender.ClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<WebhookSigner>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<Recovery>();
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddHostedService<OutboxMonitor>();
        builder.Services.AddHostedService<WebhookSecretFingerprint>();
        builder.Services.AddHealthChecks().AddCheck<DeliveryHealthCheck>("workers");
        return builder;
    }
}
