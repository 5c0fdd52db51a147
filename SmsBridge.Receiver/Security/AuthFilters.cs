using Microsoft.Extensions.Options;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Receiver.Security;

/// <summary>Backend calls carry <c>Authorization: Bearer &lt;backend api key&gt;</c>.</summary>
public sealed class BackendKeyFilter(IOptions<ReceiverSecrets> secrets) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        return SecretComparer.Matches(key, secrets.Value.BackendApiKey)
            ? next(context)
            : ValueTask.FromResult<object?>(Problem.Unauthorized());
    }
}

/// <summary>
/// Gateway phones send the gateway key as <c>X-Api-Key</c> or <c>?apiKey=</c>. Every key a request presents must be the
/// gateway key: a request with a right header and a wrong query key (or two different headers) is ambiguous, and refused
/// rather than judged by whichever is read first.
/// </summary>
public sealed class GatewayKeyFilter(IOptions<ReceiverSecrets> secrets) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        string?[] keys = [.. request.Headers["X-Api-Key"], .. request.Query["apiKey"]];
        var expected = secrets.Value.GatewayApiKey;
        // Every key is compared (in constant time each), so the answer's timing does not tell which one was wrong.
        var allMatch = keys.Length > 0;
        foreach (var key in keys) allMatch &= SecretComparer.Matches(key, expected);
        return allMatch
            ? next(context)
            : ValueTask.FromResult<object?>(Problem.Unauthorized());
    }
}

/// <summary>SMS may be posted only from the allowed LAN sources; checked before anything else is read.</summary>
public sealed class SourceFilter(SourceAllowlist allowlist) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        allowlist.Allows(context.HttpContext.Connection.RemoteIpAddress)
            ? next(context)
            : ValueTask.FromResult<object?>(Problem.Of(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenSource,
                "This source address may not post SMS. Add its network to Receiver:AllowedSources."));
}
