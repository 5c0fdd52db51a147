using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Caching;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Security;
using SmsBridge.ServiceDefaults.Logging;
using SmsBridge.ServiceDefaults.Web;
using StackExchange.Redis;

namespace SmsBridge.Receiver.Inbound;

/// <summary>Where gateway phones on the LAN deliver SMS. Accepting means committed; validation follows.</summary>
public static class SmsApi
{
    public static IEndpointRouteBuilder MapSmsApi(this IEndpointRouteBuilder app)
    {
        var sms = app.MapGroup("/sms/receive").WithTags("Inbound SMS")
            .AddEndpointFilter<SourceFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        sms.MapPost("", ReceiveAsync)
            .AddEndpointFilter<GatewayKeyFilter>()
            .WithName("ReceiveSms").WithSummary("Accept an SMS from a gateway phone (JSON or form).");

        sms.MapPost("/android-sms-gateway", ReceiveFromAndroidGatewayAsync)
            .WithName("ReceiveSmsAndroidGateway").WithSummary("Accept the Android SMS Gateway app's signed sms:received webhook.");
        return app;
    }

    public static async Task<Results<Accepted<ReceivedResponse>, ProblemHttpResult>> ReceiveAsync(HttpRequest request,
        [AsParameters] InboundServices services)
    {
        var (parsed, body, error) = await JsonBody.ReadJsonOrFormAsync<SmsPayloads.ReceiveRequest>(request);
        if (error is not null) return error;
        var (sms, invalid) = SmsPayloads.FromReceive(parsed!, Encoding.UTF8.GetString(body!), Source(request), services.Time.GetUtcNow());
        return invalid ?? await AcceptAsync(sms!, services, request.HttpContext.RequestAborted);
    }

    public static async Task<Results<Accepted<ReceivedResponse>, ProblemHttpResult>> ReceiveFromAndroidGatewayAsync(HttpRequest request,
        [AsParameters] InboundServices services, IOptions<ReceiverSecrets> secrets, IOptions<ReceiverOptions> options,
        IConnectionMultiplexer redis, ILogger<InboundServices> logger)
    {
        var (body, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null) return error;

        var now = services.Time.GetUtcNow();
        var timestamp = request.Headers["X-Timestamp"].ToString();
        var signature = request.Headers["X-Signature"].ToString();
        if (!GatewaySignature.IsFresh(timestamp, now, options.Value.GatewaySignatureWindow)
            || !GatewaySignature.Matches(Encoding.UTF8.GetBytes(secrets.Value.GatewaySigningKey), body!, timestamp, signature))
        {
            return Problem.Of(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                "The X-Signature does not match the body and X-Timestamp, or the timestamp is outside ±5 minutes.");
        }

        if (!await IsFirstUseAsync(redis, signature, options.Value.GatewaySignatureWindow * 2, logger))
        {
            return Problem.Of(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "This signed request was already received (replay).");
        }

        var (sms, invalid) = SmsPayloads.FromGateway(body!, Source(request), services.Settings.Current, now);
        return invalid ?? await AcceptAsync(sms!, services, request.HttpContext.RequestAborted);
    }

    private static async Task<Results<Accepted<ReceivedResponse>, ProblemHttpResult>> AcceptAsync(InboundSms sms,
        InboundServices services, CancellationToken cancellationToken)
    {
        // Refused before anything is written: the phone keeps the SMS and retries it.
        if (services.Backlog.IsFull)
        {
            return Problem.Unavailable("Too many SMS are waiting for validation; retry later.", services.Options.Value.BacklogRetryAfter);
        }

        var (id, isNew) = await services.Inbox.AcceptAsync(sms, cancellationToken);
        if (isNew)
        {
            services.Backlog.Accepted();
            services.Processor.Enqueue(sms);
            await services.Audit.RecordAsync(new AuditEvent(sms.AcceptedAt, "sms.received", sms.Source, sms.SourceAddress,
                LogRedactor.MaskMobile(sms.Mobile), new Dictionary<string, object?> { ["message_id"] = id }), cancellationToken);
        }

        return TypedResults.Accepted((string?)null, new ReceivedResponse("received", id, true));
    }

    /// <summary>
    /// Remembers a signature for twice the freshness window. Without Redis the check is skipped: a replayed
    /// SMS is still deduplicated by the gateway's message id, so nothing is processed twice.
    /// </summary>
    private static async Task<bool> IsFirstUseAsync(IConnectionMultiplexer redis, string signature, TimeSpan remember, ILogger logger)
    {
        try
        {
            return await redis.GetDatabase().StringSetAsync(RedisKeys.GatewaySignature(signature.ToLowerInvariant()), 1, remember, When.NotExists);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Replay check skipped: the cache is unavailable");
            return true;
        }
    }

    private static string? Source(HttpRequest request) => request.HttpContext.Connection.RemoteIpAddress?.ToString();
}

/// <summary>What the inbound endpoints need, bundled for <c>[AsParameters]</c>.</summary>
public sealed class InboundServices(Inbox inbox, InboxProcessor processor, InboxBacklog backlog, SettingsStore settings, AuditLog audit,
    IOptions<ReceiverOptions> options, TimeProvider time)
{
    public InboxBacklog Backlog { get; } = backlog;
    public IOptions<ReceiverOptions> Options { get; } = options;
    public Inbox Inbox { get; } = inbox;
    public InboxProcessor Processor { get; } = processor;
    public SettingsStore Settings { get; } = settings;
    public AuditLog Audit { get; } = audit;
    public TimeProvider Time { get; } = time;
}

public sealed record ReceivedResponse(string Status, Guid MessageId, bool QueuedForProcessing);
