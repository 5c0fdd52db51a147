using System.Diagnostics;

namespace SmsBridge.ServiceDefaults.Telemetry;

/// <summary>
/// A batch finishes its items after their own code has returned (one statement records every outcome), so the items' log
/// lines would land outside their traces. Each item's span is kept open until then and made current around its lines.
/// </summary>
public static class SpanScope
{
    public static IDisposable Enter(Activity? span)
    {
        var previous = Activity.Current;
        Activity.Current = span;
        return new Restore(previous);
    }

    private sealed class Restore(Activity? previous) : IDisposable
    {
        public void Dispose() => Activity.Current = previous;
    }
}
