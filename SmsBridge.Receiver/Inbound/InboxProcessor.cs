using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Settings;
using SmsBridge.ServiceDefaults.Logging;
using SmsBridge.ServiceDefaults.Telemetry;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Receiver.Inbound;

/// <summary>
/// Validates accepted SMS. New messages arrive through an in-process queue; anything still pending in the
/// inbox (Redis was down, the process died, the queue was full) is swept from PostgreSQL in arrival order.
/// While a backlog exists, queued messages are left to the sweep so that older messages go first. With several
/// receivers, each validates what it holds the lease of (<see cref="Inbox"/>): its own messages, and those whose lease ran
/// out elsewhere (a receiver that died), which its sweep claims.
/// </summary>
public sealed class InboxProcessor(
    Inbox inbox,
    SmsValidationPipeline pipeline,
    SettingsStore settings,
    AuditLog audit,
    ReceiverMetrics metrics,
    InboxBacklog backlog,
    TimeProvider time,
    IOptions<ReceiverOptions> options,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    private const int QueueBatch = 256;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
    private static readonly ActivitySource Activities = new("SmsBridge.Receiver.Inbound");

    // Each message travels with the trace context of the request that accepted it, so its validation joins that trace.
    private readonly Channel<(InboundSms Sms, ActivityContext Parent)> _queue = Channel.CreateBounded<(InboundSms, ActivityContext)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private volatile bool _backlog = true; // start-up sweeps whatever an earlier run left pending

    // What the last sweeps validated: messages accepted here are also in the queue, and must not be validated twice.
    private readonly HashSet<Guid> _swept = [];

    public void Enqueue(InboundSms sms)
    {
        if (!_queue.Writer.TryWrite((sms, Activity.Current?.Context ?? default))) _backlog = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_backlog || time.GetUtcNow() >= nextSweep)
                {
                    _backlog = !await SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + SweepInterval;
                    if (_backlog)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                        continue;
                    }
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(SweepInterval);
                try
                {
                    await _queue.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    continue;
                }

                var batch = new List<InboundSms>(QueueBatch);
                var parents = new Dictionary<Guid, ActivityContext>();
                while (!_backlog && _queue.Reader.TryRead(out var queued))
                {
                    if (_swept.Contains(queued.Sms.Id)) continue;
                    batch.Add(queued.Sms);
                    parents[queued.Sms.Id] = queued.Parent;
                    if (batch.Count < QueueBatch && _queue.Reader.Count > 0) continue;
                    if (!await ValidateBatchAsync(await HeldAsync(batch, stoppingToken), stoppingToken, parents)) _backlog = true;
                    batch.Clear();
                    parents.Clear();
                }

                if (batch.Count > 0 && !await ValidateBatchAsync(await HeldAsync(batch, stoppingToken), stoppingToken, parents)) _backlog = true;

                // Messages queued during a backlog are in the inbox; the sweep takes them in order.
                if (_backlog) while (_queue.Reader.TryRead(out _)) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsUnavailable(ex))
            {
                _backlog = true;
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>Processes the pending messages this receiver may claim, oldest first; true when none is left.</summary>
    private async Task<bool> SweepAsync(CancellationToken cancellationToken)
    {
        if (_queue.Reader.Count == 0 || _swept.Count > 100_000) _swept.Clear(); // nothing queued can repeat what was swept before
        while (true)
        {
            var pending = await inbox.ClaimPendingAsync(500, cancellationToken);
            backlog.Observed(pending.Count < 500 ? pending.Count : await inbox.PendingCountAsync(cancellationToken));
            if (pending.Count == 0) return true;
            _swept.UnionWith(pending.Select(sms => sms.Id));
            if (!await ValidateBatchAsync(pending, cancellationToken)) return false;
        }
    }

    /// <summary>
    /// The queued messages this receiver still holds: those whose acceptance lease has half its time left need no round
    /// trip; older ones (a long queue) are claimed again, and any another receiver took over meanwhile are left to it.
    /// </summary>
    private async Task<List<InboundSms>> HeldAsync(List<InboundSms> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = batch.Where(sms => inbox.LeaseEnd(sms) - now < options.Value.InboxLease / 2).Select(sms => sms.Id).ToList();
        if (stale.Count == 0) return batch;
        var claimed = await inbox.ClaimAsync(stale, cancellationToken);
        return [.. batch.Where(sms => !stale.Contains(sms.Id) || claimed.Contains(sms.Id))];
    }

    /// <summary>
    /// Validates a batch (in arrival order): one statement counts every message's window, each message's code takes one Redis
    /// script, and one statement records every outcome. The scripts are all sent at once, in arrival order, over the one
    /// multiplexed connection, which Redis runs in that order: the first SMS with a code consumes it and later ones find it
    /// gone, as sequential processing would give. False when Redis or PostgreSQL could not be reached for any; those stay
    /// pending for the sweep.
    /// </summary>
    private async Task<bool> ValidateBatchAsync(List<InboundSms> batch, CancellationToken cancellationToken,
        IReadOnlyDictionary<Guid, ActivityContext>? parents = null)
    {
        if (batch.Count == 0) return true;
        var current = settings.Current;
        var started = Stopwatch.GetTimestamp();
        long[] counts;
        try
        {
            counts = current.Checks.CountCheck.Enabled
                ? await inbox.CountReceivedAsync(batch, TimeSpan.FromSeconds(current.CountWindowSeconds), cancellationToken)
                : new long[batch.Count];
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            logger.LogWarning("{Count} SMS left pending: {Reason}", batch.Count, ex.GetType().Name);
            return false;
        }

        var validations = batch.Select((sms, i) => ValidateAsync(sms, current, counts[i], parents?.GetValueOrDefault(sms.Id) ?? default)).ToList();
        var outcomes = (await Task.WhenAll(validations)).OfType<(InboundSms Sms, ValidationOutcome Outcome, Activity? Span)>().ToList();
        if (outcomes.Count == 0) return false;

        try
        {
            var now = time.GetUtcNow();
            var recorded = await inbox.CompleteAsync([.. outcomes.Select(o => (o.Sms.Id, o.Outcome.Outcome, o.Outcome.ChecksJson))], now,
                cancellationToken);
            backlog.Recorded(recorded.Count);
            var took = Stopwatch.GetElapsedTime(started) / batch.Count;
            foreach (var (sms, outcome, span) in outcomes.Where(o => recorded.Contains(o.Sms.Id)))
            {
                metrics.ValidationTook(took);
                metrics.SmsProcessed(outcome.Outcome.Split(':')[0], outcome.FailedCheck);
                using (SpanScope.Enter(span))
                {
                    logger.LogInformation("SMS {MessageId} from {Mobile}: {Outcome}", sms.Id, LogRedactor.MaskMobile(sms.Mobile), outcome.Outcome);
                }

                await audit.RecordAsync(new AuditEvent(now, "sms.validated", "receiver", null, LogRedactor.MaskMobile(sms.Mobile),
                    new Dictionary<string, object?> { ["message_id"] = sms.Id, ["outcome"] = outcome.Outcome, ["checks"] = outcome.Checks }),
                    cancellationToken);
            }
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            logger.LogWarning("{Count} SMS left pending: {Reason}", outcomes.Count, ex.GetType().Name);
            return false;
        }
        finally
        {
            foreach (var (_, _, span) in outcomes) span?.Dispose();
        }

        return outcomes.Count == batch.Count;
    }

    /// <summary>
    /// Runs the pipeline for one message; null when Redis could not be reached. Its span stays open for the batch to record
    /// the outcome in (the caller ends it).
    /// </summary>
    private async Task<(InboundSms Sms, ValidationOutcome Outcome, Activity? Span)?> ValidateAsync(InboundSms sms, SmsBridgeSettings current,
        long count, ActivityContext parent)
    {
        // Swept messages have no parent here: their request's trace is long gone (a restart, a Redis outage).
        var activity = Activities.StartActivity("validate sms", ActivityKind.Internal, parent);
        try
        {
            var outcome = await pipeline.ValidateAsync(sms, current, count);
            activity?.SetTag("smsbridge.outcome", outcome.Outcome);
            return (sms, outcome, activity);
        }
        catch (Exception ex)
        {
            activity?.Dispose();
            if (!IsUnavailable(ex)) throw;
            logger.LogWarning("SMS {MessageId} left pending: {Reason}", sms.Id, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>PostgreSQL or Redis cannot answer (as the API judges it): the messages stay pending for the sweep.</summary>
    private static bool IsUnavailable(Exception ex) => DependencyOutage.Of(ex) is not null;
}
