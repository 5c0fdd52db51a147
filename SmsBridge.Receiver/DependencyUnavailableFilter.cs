using Npgsql;
using SmsBridge.ServiceDefaults.Web;
using StackExchange.Redis;

namespace SmsBridge.Receiver;

/// <summary>
/// When Redis or PostgreSQL cannot answer, the caller gets 503 with Retry-After (the contract's promise),
/// not a 500 and not a hang. That includes a cancellation the caller did not ask for: StackExchange.Redis cancels the
/// commands in flight when it drops a dead socket ("no reads in 15 seconds"), which surfaced as a rare 500 under load.
/// </summary>
public sealed class DependencyUnavailableFilter(ILogger<DependencyUnavailableFilter> logger) : IEndpointFilter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or NpgsqlException
                                       || (ex is TimeoutException or OperationCanceledException && !context.HttpContext.RequestAborted.IsCancellationRequested))
        {
            var what = ex switch
            {
                NpgsqlException => "database",
                OperationCanceledException => "cache or database",
                _ => "cache",
            };
            logger.LogWarning("{Endpoint} answered 503: the {Dependency} is unavailable ({Reason})",
                context.HttpContext.Request.Path.Value, what, ex.GetType().Name);
            return Problem.Unavailable($"The {what} is temporarily unavailable. Retry after {RetryAfter.TotalSeconds:0} seconds.", RetryAfter);
        }
    }
}
