using SmsBridge.Data.Audit;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Security;
using SmsBridge.Receiver.Verification;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>What the onboarding endpoints need, bundled for <c>[AsParameters]</c>.</summary>
public sealed class OnboardingServices(
    SettingsStore settings,
    CodeStore codes,
    RateWindows rateWindows,
    OnboardingStore store,
    PinProtector pins,
    AuditLog audit,
    ReceiverMetrics metrics,
    TimeProvider time,
    ILogger<OnboardingServices> logger)
{
    public SettingsStore Settings { get; } = settings;
    public CodeStore Codes { get; } = codes;
    public RateWindows RateWindows { get; } = rateWindows;
    public OnboardingStore Store { get; } = store;
    public PinProtector Pins { get; } = pins;
    public AuditLog Audit { get; } = audit;
    public ReceiverMetrics Metrics { get; } = metrics;
    public TimeProvider Time { get; } = time;
    public ILogger<OnboardingServices> Logger { get; } = logger;
}
