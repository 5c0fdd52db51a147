using System.Security.Cryptography;
using System.Text.Json;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Generated secrets, kept in one JSON file readable by the AppHost's user only (mode 0600).</summary>
public sealed class SecretStore(string path)
{
    private readonly Dictionary<string, string> _values = File.Exists(path)
        ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []
        : [];

    public (string Value, bool Generated) GetOrAdd(string name, Func<string> generate)
    {
        if (_values.TryGetValue(name, out var existing)) return (existing, false);
        var value = generate();
        _values[name] = value;
        Save();
        return (value, true);
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
               {
                   Mode = FileMode.Create,
                   Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        {
            JsonSerializer.Serialize(stream, _values, new JsonSerializerOptions { WriteIndented = true });
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A password of letters and digits (no quoting trouble in connection strings or SQL).</summary>
    public static string Password(int length = 32) =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", length);

    /// <summary>A 256-bit key, base64.</summary>
    public static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A Standard Webhooks signing secret.</summary>
    public static string WebhookSecret() => "whsec_" + Key();
}
