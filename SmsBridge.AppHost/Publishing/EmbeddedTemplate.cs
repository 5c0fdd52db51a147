using System.Reflection;

namespace SmsBridge.AppHost.Publishing;

/// <summary>A text file under Publishing/Templates, embedded in the AppHost, with its <c>{{Name}}</c> placeholders filled.</summary>
internal static class EmbeddedTemplate
{
    public static string Render(string name, Dictionary<string, string> values)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("template:" + name)
            ?? throw new InvalidOperationException($"Template {name} is not embedded.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        foreach (var (key, value) in values) text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        return text.Contains("{{", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Template {name} has a placeholder without a value.")
            : text;
    }
}
