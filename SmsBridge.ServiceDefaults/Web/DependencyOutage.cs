using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace SmsBridge.ServiceDefaults.Web;

/// <summary>
/// When PostgreSQL or Redis cannot answer, the caller gets 503 <c>SERVICE_UNAVAILABLE</c> with Retry-After (the contract's
/// promise), never a 500 and never a hang, wherever the exception comes from: an endpoint, authentication (which reads
/// accounts from PostgreSQL) or a page. It is logged as one warning, not as an unhandled error with its stack trace.
/// </summary>
public static class DependencyOutage
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What cannot answer ("database", "cache", "cache or database"), or null when the exception is not an outage.
    /// A cancellation counts: StackExchange.Redis cancels the commands in flight when it drops a dead socket. A caller who
    /// hung up never reaches this: the exception handler answers that 499 before it asks for a status.
    /// </summary>
    public static string? Of(Exception? exception) => exception switch
    {
        PostgresException server => IsOutage(server) ? "database" : null,
        NpgsqlException => "database",
        RedisException => "cache",
        InvalidOperationException broken when IsCacheReaderFailure(broken) => "cache",
        TimeoutException or OperationCanceledException => "cache or database",
        _ => null,
    };

    public static string Detail(string dependency) =>
        $"The {dependency} is temporarily unavailable. Retry after {RetryAfter.TotalSeconds:0} seconds.";

    /// <summary>
    /// Options for <c>UseExceptionHandler</c>: 503 for an outage, 500 otherwise (400 for a bad request); with
    /// <paramref name="handlingPath"/>, the page that renders the answer.
    /// </summary>
    public static ExceptionHandlerOptions HandlerOptions(string? handlingPath = null) => new()
    {
        ExceptionHandlingPath = handlingPath is null ? default(PathString) : new PathString(handlingPath),
        StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode
            : Of(exception) is not null ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status500InternalServerError,
        SuppressDiagnosticsCallback = context => Of(context.Exception) is { } dependency && LoggedAsWarning(context, dependency),
    };

    /// <summary>
    /// A server error is an outage when it says the server is going away, starting, out of connections or resources
    /// (classes 08, 53, 57P) or Npgsql calls it transient; a constraint violation or a raised error is a fault, answered 500.
    /// </summary>
    private static bool IsOutage(PostgresException server) =>
        server.IsTransient || server.SqlState.StartsWith("08", StringComparison.Ordinal)
        || server.SqlState.StartsWith("53", StringComparison.Ordinal) || server.SqlState.StartsWith("57P", StringComparison.Ordinal);

    /// <summary>
    /// StackExchange.Redis 2.12.14 and later can let a failure of its socket reader escape to the command's caller as the
    /// pipe's InvalidOperationException ("Reading is not allowed after reader was completed") when the reader restarts under
    /// thread-pool starvation (StackExchange.Redis#3085; fixed only in 3.x, which Aspire 13.6 does not take). The connection
    /// broke, so it is a cache outage; any other InvalidOperationException, from the client or not, stays a fault.
    /// </summary>
    private static bool IsCacheReaderFailure(InvalidOperationException exception) =>
        exception.TargetSite?.DeclaringType?.Namespace == "System.IO.Pipelines"
        && new StackTrace(exception, fNeedFileInfo: false).GetFrames()
            .Any(frame => frame.GetMethod()?.DeclaringType?.Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true);

    private static bool LoggedAsWarning(ExceptionHandlerSuppressDiagnosticsContext context, string dependency)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DependencyOutage))
            .LogWarning("{Method} {Path} answered 503: the {Dependency} is unavailable ({Reason})", context.HttpContext.Request.Method,
                context.HttpContext.Request.Path.Value, dependency, context.Exception.GetType().Name);
        return true;
    }
}
