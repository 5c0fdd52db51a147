using SmsBridge.Benchmarks.Load;
using SmsBridge.Benchmarks.Reporting;

namespace SmsBridge.Benchmarks.Costs;

/// <summary>
/// The cost of each operation, from the closed-loop phases' windows (see docs/benchmarks.md for the method):
/// register and full flow are their phase's window divided by the count; validation is the wait after the receive
/// phase, when only validation runs, divided by the SMS it validated; intake is the receive window less the
/// validation done in it; pin-setup with its delivery is what a flow costs beyond register, intake and validation.
/// </summary>
public static class OperationCosts
{
    /// <summary>Below this many SMS validated after the receive phase the wait says too little to isolate validation.</summary>
    public const int MinimumBacklog = 200;

    /// <summary>A shorter wait is within the second by which PostgreSQL's commit counter lags.</summary>
    public const double MinimumDrainSeconds = 5;

    public const string Background = "background (idle), per second";
    public const string Register = "register";
    public const string Intake = "receive: intake alone";
    public const string Validation = "validation of one SMS";
    public const string Receive = "receive with its validation";
    public const string PinSetup = "pin-setup with its webhook delivery";
    public const string Flow = "full flow";

    public static List<OperationCost> From(IReadOnlyList<PhaseRun> phases)
    {
        List<PhaseRun> Closed(string name) => phases.Where(p => p.Kind == PhaseRun.ClosedLoop && p.Name == name).ToList();
        var costs = new List<OperationCost>();
        var idle = phases.Where(p => p.Kind == PhaseRun.Idle).Select(p => p.Window.Per(p.Window.Seconds)).ToList();
        if (idle.Count > 0) costs.Add(new(Background, "the idle window divided by its seconds", idle));

        var register = Closed(Scenarios.RegisterScenario).Where(p => p.Completed > 0).Select(p => p.Window.Per(p.Completed)).ToList();
        if (register.Count > 0) costs.Add(new(Register, "register window / registrations", register));

        var receive = Closed(Scenarios.ReceiveScenario).Where(p => p.Window.Accepted > 0).ToList();
        var validation = receive.Select(p => p.Drain is { Validated: >= MinimumBacklog, Seconds: >= MinimumDrainSeconds } drain
            ? drain.Per(drain.Validated)
            : null).ToList();
        if (validation.All(v => v is not null) && validation.Count > 0)
        {
            costs.Add(new(Validation, "the wait after the receive phase / SMS validated in it", validation!));
            costs.Add(new(Intake, "receive window / SMS accepted, less the validations done in it",
                receive.Select((p, i) => p.Window.Per(p.Window.Accepted).Minus(validation[i]!.Times(p.Window.Validated / (double)p.Window.Accepted))).ToList()));
        }

        // When validation keeps up there is no backlog to isolate it by; the window then holds each SMS with its validation.
        var combined = receive.Select((p, i) => validation[i] is { } v
            ? p.Window.Per(p.Window.Accepted).Minus(v.Times(p.Window.Validated / (double)p.Window.Accepted)).Plus(v)
            : p.Window.Per(p.Window.Accepted)).ToList();
        if (combined.Count > 0)
        {
            costs.Add(new(Receive, validation.All(v => v is not null) ? "intake alone + validation" : "receive window / SMS accepted (validation kept up)",
                combined));
        }

        var flow = Closed(Scenarios.FlowScenario).Where(p => p.Completed > 0).Select(p => p.Window.Per(p.Completed)).ToList();
        if (flow.Count > 0 && register.Count > 0 && combined.Count > 0)
        {
            costs.Add(new(PinSetup, "full flow less register and receive with its validation (same repetition)",
                flow.Select((f, i) => f.Minus(register[Math.Min(i, register.Count - 1)]).Minus(combined[Math.Min(i, combined.Count - 1)])).ToList()));
        }

        if (flow.Count > 0) costs.Add(new(Flow, "flow window / completed flows", flow));
        return costs;
    }
}
