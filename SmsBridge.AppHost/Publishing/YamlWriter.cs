using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Block-style YAML for a tree of ordered maps, lists, strings, numbers and booleans. Every string is double-quoted
/// (JSON escaping is valid YAML), so nothing is ever read back as a number, a boolean or a base-60 port pair.
/// </summary>
internal static class YamlWriter
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(OrderedDictionary<string, object> document, string? header = null)
    {
        var output = new StringBuilder();
        if (header is not null)
        {
            foreach (var line in header.Split('\n')) output.Append("# ").Append(line).Append('\n');
        }

        WriteMap(output, document, 0);
        return output.ToString();
    }

    private static void WriteMap(StringBuilder output, OrderedDictionary<string, object> map, int indent)
    {
        foreach (var (key, value) in map)
        {
            output.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(output, value, indent);
        }
    }

    private static void WriteValue(StringBuilder output, object value, int indent)
    {
        switch (value)
        {
            case OrderedDictionary<string, object> { Count: 0 }:
                output.Append(" {}\n");
                break;
            case OrderedDictionary<string, object> child:
                output.Append('\n');
                WriteMap(output, child, indent + 2);
                break;
            case IEnumerable<object> list when value is not string:
                var items = list.ToList();
                if (items.Count == 0)
                {
                    output.Append(" []\n");
                    break;
                }

                output.Append('\n');
                foreach (var item in items)
                {
                    output.Append(' ', indent + 2).Append('-');
                    if (item is OrderedDictionary<string, object> entry)
                    {
                        // "- key: value" with the remaining keys aligned under the first.
                        var first = true;
                        foreach (var (key, inner) in entry)
                        {
                            output.Append(first ? " " : new string(' ', indent + 4)).Append(Key(key)).Append(':');
                            WriteValue(output, inner, indent + 4);
                            first = false;
                        }
                    }
                    else
                    {
                        output.Append(' ').Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                output.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Key(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && !char.IsAsciiDigit(key[0]) ? key : Quote(key);

    private static string Scalar(object value) => value switch
    {
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        int or long or double or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"No YAML form for {value.GetType().Name}", nameof(value)),
    };

    private static string Quote(string text) => JsonSerializer.Serialize(text, Quoting);
}
