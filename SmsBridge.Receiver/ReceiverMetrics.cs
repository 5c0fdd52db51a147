using System.Diagnostics.Metrics;
using SmsBridge.Receiver.Inbound;

namespace SmsBridge.Receiver;

/// <summary>The receiver's own instruments (meter <c>SmsBridge.Receiver</c>, exported by the ServiceDefaults).</summary>
public sealed class ReceiverMetrics : IDisposable
{
    public const string MeterName = "SmsBridge.Receiver";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _smsReceived;
    private readonly Counter<long> _pinSetups;
    private readonly Histogram<double> _validationDuration;
    public ReceiverMetrics(InboxBacklog backlog)
    {
        _registrations = _meter.CreateCounter<long>("smsbridge.registrations", "{registration}", "Codes issued by /onboarding/register, by outcome.");
        _smsReceived = _meter.CreateCounter<long>("smsbridge.sms.processed", "{message}", "SMS that reached a final outcome, by outcome and failing check.");
        _pinSetups = _meter.CreateCounter<long>("smsbridge.pin_setups", "{setup}", "PIN setups, by outcome.");
        _validationDuration = _meter.CreateHistogram<double>("smsbridge.sms.validation.duration", "s", "Time to run the validation pipeline for one SMS.");
        _meter.CreateObservableGauge("smsbridge.sms.pending", () => backlog.Pending, "{message}",
            "SMS accepted but not yet validated.");
    }

    public void Registered(string outcome) => _registrations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void SmsProcessed(string outcome, string? check) =>
        _smsReceived.Add(1, new("outcome", outcome), new("check", check ?? "none"));

    public void PinSetup(string outcome) => _pinSetups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void ValidationTook(TimeSpan elapsed) => _validationDuration.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
