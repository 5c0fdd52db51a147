using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace SmsBridge.ServiceDefaults.Web;

/// <summary>Builds the contract's RFC 9457 bodies: title, status, detail, plus <c>code</c> and <c>timestamp</c>.</summary>
public static class Problem
{
    public static ProblemHttpResult Of(int status, string code, string detail, TimeSpan? retryAfter = null,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Title(status),
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        Stamp(problem, code);
        if (retryAfter is { } wait) problem.Extensions["retry_after_seconds"] = (int)Math.Ceiling(wait.TotalSeconds);
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>Adds the contract's two extension members to any problem, including the framework's own.</summary>
    public static void Stamp(ProblemDetails problem, string code)
    {
        problem.Extensions["code"] = code;
        problem.Extensions["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
    }

    public static ProblemHttpResult Validation(string detail, string? field = null) =>
        Of(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult Unauthorized() =>
        Of(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "Missing or invalid credentials.");

    public static ProblemHttpResult Unavailable(string detail, TimeSpan retryAfter) =>
        Of(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable, detail, retryAfter);

    private static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Error",
    };
}
