using System.Data.Common;
using System.Text;

namespace SmsBridge.ServiceDefaults.Secrets;

/// <summary>
/// The password inside a connection string, in either form the services use: ADO.NET keywords
/// (<c>Host=…;Username=…;Password=…</c>, Npgsql) or StackExchange.Redis options (<c>cache:6379,password=…</c>).
/// </summary>
public static class ConnectionStringPassword
{
    /// <summary>The password's value, or null when the connection string names none.</summary>
    public static string? Find(string? connectionString) =>
        (connectionString ?? "").Split(';', ',')
            .Select(part => part.Split('=', 2))
            .FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim().Equals("password", StringComparison.OrdinalIgnoreCase))?[1].Trim();

    /// <summary>The connection string with <paramref name="password"/> added in its own form.</summary>
    public static string Append(string connectionString, string password)
    {
        var trimmed = connectionString.Trim().TrimEnd(';', ',');
        if (IsRedis(trimmed)) return $"{trimmed},password={password}";
        var text = new StringBuilder(trimmed);
        DbConnectionStringBuilder.AppendKeyValuePair(text, "Password", password); // quotes a value that needs it
        return text.ToString();
    }

    /// <summary>Redis options start with an endpoint (<c>host:port</c>), ADO.NET strings with a keyword.</summary>
    private static bool IsRedis(string connectionString) => !connectionString.Split(',')[0].Contains('=', StringComparison.Ordinal);
}
