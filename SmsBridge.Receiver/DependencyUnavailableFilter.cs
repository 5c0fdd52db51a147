using Npgsql;
using SmsBridge.ServiceDefaults.Web;
using StackExchange.Redis;

namespace SmsBridge.Receiver;

/// <summary>
/// When Redis or PostgreSQL cannot answer, the caller gets 503 with Retry-After (the contract's promise),
/// not a 500 and not a hang.
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
                                       || (ex is TimeoutException && !context.HttpContext.RequestAborted.IsCancellationRequested))
        {
            var what = ex is NpgsqlException ? "database" : "cache";
            logger.LogWarning("{Endpoint} answered 503: the {Dependency} is unavailable ({Reason})",
                context.HttpContext.Request.Path.Value, what, ex.GetType().Name);
            return Problem.Unavailable($"The {what} is temporarily unavailable. Retry after {RetryAfter.TotalSeconds:0} seconds.", RetryAfter);
        }
    }
}
