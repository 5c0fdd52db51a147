using System.Diagnostics;

namespace SmsBridge.SampleBackend.Onboarding;

/// <summary>
/// One verification flow is one trace: registering starts it, and the PIN setup here and the simulator's SMS join it through
/// the traceparent kept with the registration, as the receiver joins its validation and webhook to the calls that caused them.
/// </summary>
public static class FlowTrace
{
    public static readonly ActivitySource Source = new("SmsBridge.SampleBackend");

    /// <summary>A new root (not the page request's span), so the trace is the flow's alone.</summary>
    public static Activity? Start()
    {
        Activity.Current = null;
        return Source.StartActivity("verification flow");
    }

    /// <summary>A step of a flow begun earlier (<paramref name="traceparent"/> is its W3C id).</summary>
    public static Activity? Continue(string name, string? traceparent) =>
        traceparent is null ? Source.StartActivity(name) : Source.StartActivity(name, ActivityKind.Internal, traceparent);
}
