using YamlDotNet.Serialization;

namespace SmsBridge.Tests.Deploy;

/// <summary>YAML as plain maps, lists and strings, for asserting on generated files.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static Dictionary<object, object> Load(string text) =>
        Deserializer.Deserialize<Dictionary<object, object>>(text) ?? throw new InvalidDataException("Empty YAML document.");

    public static Dictionary<object, object> Map(this object node, string key) =>
        (Dictionary<object, object>)((Dictionary<object, object>)node)[key];

    public static List<object> List(this object node, string key) =>
        ((Dictionary<object, object>)node).TryGetValue(key, out var value) ? (List<object>)value : [];

    public static string? Text(this object node, string key) =>
        ((Dictionary<object, object>)node).TryGetValue(key, out var value) ? value as string : null;

    public static bool Has(this object node, string key) => ((Dictionary<object, object>)node).ContainsKey(key);
}
