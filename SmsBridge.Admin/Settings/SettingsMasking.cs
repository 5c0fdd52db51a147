using System.Text.Json.Nodes;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Settings;

/// <summary>
/// Settings hold no secrets by design (those are secret parameters), but URLs may carry credentials in their user
/// info or query string; those are masked wherever settings are shown.
/// </summary>
public static class SettingsMasking
{
    public const string Mask = "********";

    public static JsonObject Masked(SmsBridgeSettings settings)
    {
        var json = JsonNode.Parse(settings.ToJson())!.AsObject();
        foreach (var field in new[] { "sync_url", "recovery_url" })
        {
            if (json[field]?.GetValue<string>() is { } url) json[field] = MaskUrl(url);
        }

        return json;
    }

    public static string MaskUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return url;
        var builder = new UriBuilder(uri);
        if (!string.IsNullOrEmpty(builder.UserName) || !string.IsNullOrEmpty(builder.Password))
        {
            builder.UserName = Mask;
            builder.Password = "";
        }

        if (builder.Query.Length > 1) builder.Query = string.Join('&', builder.Query.TrimStart('?').Split('&')
            .Select(pair => pair.Split('=', 2) is [var key, _] ? $"{key}={Mask}" : pair));
        return builder.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
    }
}
