namespace SmsBridge.AppHost.Publishing;

/// <summary>Text as YAML comment lines: the header that says where a generated file comes from.</summary>
internal static class YamlComments
{
    public static string Of(string text) => string.Concat(text.Split('\n').Select(line => $"# {line}\n"));
}
