using System.Text.Json;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// A draft-07 validator for the keywords the Aspire manifest schema uses (type, required, properties,
/// additionalProperties, const, enum, items, $ref, oneOf, allOf, not): no JSON Schema library restores here.
/// Unknown keywords fail loudly rather than pass silently.
/// </summary>
internal sealed class JsonSchemaSubset(JsonElement root)
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "description", "definitions", "title"];

    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        if (schema.ValueKind == JsonValueKind.True) return;

        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "$ref":
                    Check(Resolve(keyword.Value.GetString()!), value, path, errors);
                    break;
                case "type":
                    var types = keyword.Value.ValueKind == JsonValueKind.Array
                        ? keyword.Value.EnumerateArray().Select(t => t.GetString()!).ToList()
                        : [keyword.Value.GetString()!];
                    if (!types.Any(t => IsType(value, t))) errors.Add($"{path}: expected {string.Join('|', types)}, found {value.ValueKind}");
                    break;
                case "const":
                    if (!JsonElement.DeepEquals(keyword.Value, value)) errors.Add($"{path}: expected {keyword.Value.GetRawText()}");
                    break;
                case "enum":
                    if (!keyword.Value.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not one of {keyword.Value.GetRawText()}");
                    }

                    break;
                case "required" when value.ValueKind == JsonValueKind.Object:
                    foreach (var name in keyword.Value.EnumerateArray().Select(n => n.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _)) errors.Add($"{path}: required member '{name}' is missing");
                    }

                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    foreach (var property in keyword.Value.EnumerateObject())
                    {
                        if (value.TryGetProperty(property.Name, out var member)) Check(property.Value, member, $"{path}.{property.Name}", errors);
                    }

                    break;
                case "additionalProperties" when value.ValueKind == JsonValueKind.Object:
                    var declared = schema.TryGetProperty("properties", out var properties)
                        ? properties.EnumerateObject().Select(p => p.Name).ToHashSet()
                        : [];
                    foreach (var member in value.EnumerateObject().Where(m => !declared.Contains(m.Name)))
                    {
                        Check(keyword.Value, member.Value, $"{path}.{member.Name}", errors);
                    }

                    break;
                case "items" when value.ValueKind == JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray()) Check(keyword.Value, item, $"{path}[{index++}]", errors);
                    break;
                case "oneOf":
                    var matching = keyword.Value.EnumerateArray().Count(branch => Passes(branch, value, path));
                    if (matching != 1) errors.Add($"{path}: matches {matching} of the oneOf branches, not exactly one");
                    break;
                case "allOf":
                    foreach (var branch in keyword.Value.EnumerateArray()) Check(branch, value, path, errors);
                    break;
                case "not":
                    if (Passes(keyword.Value, value, path)) errors.Add($"{path}: matches a schema it must not match");
                    break;
                case "required" or "properties" or "additionalProperties" or "items":
                    break; // the keyword applies to another kind of value
                default:
                    if (!Annotations.Contains(keyword.Name)) throw new NotSupportedException($"Schema keyword '{keyword.Name}' is not supported.");
                    break;
            }
        }
    }

    private bool Passes(JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) throw new NotSupportedException($"Only local $ref: {reference}");
        var node = root;
        foreach (var segment in reference[2..].Split('/')) node = node.GetProperty(segment);
        return node;
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"Type '{type}'"),
    };
}
