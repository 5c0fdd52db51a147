using Microsoft.Extensions.Options;
using SmsBridge.Data.Blacklist;
using SmsBridge.Data.Inbox;
using SmsBridge.Receiver.Delivery;
using SmsBridge.Receiver.Inbound;
using SmsBridge.Receiver.Onboarding;
using SmsBridge.Receiver.Security;
using SmsBridge.Receiver.Verification;

namespace SmsBridge.Receiver;

public static class ReceiverExtensions
{
    /// <summary>The verification flow: codes, inbound SMS and their validation, PIN setup.</summary>
    public static IHostApplicationBuilder AddVerification(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReceiverOptions>().BindConfiguration("Receiver");
        builder.Services.AddOptions<ReceiverSecrets>().BindConfiguration("Secrets");
        builder.Services.AddSingleton<InboxBacklog>();
        builder.Services.AddSingleton<ReceiverMetrics>();
        builder.Services.AddSingleton<SourceAllowlist>();
        builder.Services.AddSingleton<CodeStore>();
        builder.Services.AddSingleton<ICodeValidation>(sp => sp.GetRequiredService<CodeStore>());
        builder.Services.AddSingleton<RateWindows>();
        builder.Services.AddSingleton<PinProtector>();
        builder.Services.AddSingleton<OnboardingStore>();
        builder.Services.AddSingleton(ReceiverInstance.New());
        builder.Services.AddSingleton(sp => new InboxLease(sp.GetRequiredService<ReceiverInstance>().Id,
            sp.GetRequiredService<IOptions<ReceiverOptions>>().Value.InboxLease));
        builder.Services.AddSingleton<Inbox>();
        // The cache itself is registered (and started) with the data module; the pipeline reads it through its seam.
        builder.Services.AddSingleton<IBlacklist>(sp => sp.GetRequiredService<BlacklistCache>());
        builder.Services.AddSingleton<SmsValidationPipeline>();
        builder.Services.AddSingleton<InboxProcessor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxProcessor>());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonBody.Options.PropertyNamingPolicy);
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapVerificationApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapOnboardingApi();
        app.MapSmsApi();
        return app;
    }
}
