using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>The check every client registration here starts with.</summary>
internal static class ConnectionStrings
{
    /// <summary>Fails start-up with the variable to set, before Aspire's own message, which names configuration keys.</summary>
    public static void RequireConnectionString(this IHostApplicationBuilder builder, string connectionName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName)))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is missing. Set ConnectionStrings__{connectionName} (the AppHost does this).");
        }
    }
}
