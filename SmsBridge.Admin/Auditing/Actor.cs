using System.Security.Claims;

namespace SmsBridge.Admin.Auditing;

/// <summary>Who did something and from where: the audit trail's "who" and "source address".</summary>
public sealed record Actor(string Name, string? SourceAddress)
{
    /// <summary>The service itself (expiry, shutdown, reconciliation).</summary>
    public static readonly Actor System = new("system", null);

    public static Actor From(HttpContext context) =>
        new(context.User.Identity?.Name ?? "anonymous", SourceOf(context));

    public static string? SourceOf(HttpContext context) => context.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : null;

    public static Actor From(ClaimsPrincipal user, string? source) => new(user.Identity?.Name ?? "anonymous", source);
}
