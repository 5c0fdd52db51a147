using System.Text.Json;
using System.Text.Json.Nodes;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Settings;

/// <summary>
/// A new settings version is the active one with a JSON Merge Patch (RFC 7396) applied: scripts send only what
/// changes (<c>{"count_threshold": 3}</c>), <c>null</c> puts a field back to its default, arrays are replaced whole.
/// </summary>
public static class SettingsPatch
{
    public static Outcome<SmsBridgeSettings> Apply(SmsBridgeSettings active, JsonNode? patch)
    {
        if (patch is not JsonObject changes) return Failure.Validation("must be a JSON object with the fields to change", "settings");
        var merged = Merge(JsonNode.Parse(active.ToJson()), changes);
        SmsBridgeSettings settings;
        try
        {
            settings = merged.Deserialize<SmsBridgeSettings>(SmsBridgeSettings.Json) ?? new SmsBridgeSettings();
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? UnknownMember(ex.Message) ?? "settings" : ex.Path.TrimStart('$', '.');
            return Failure.Validation(ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a settings field" : "has the wrong type or format", field);
        }

        return SettingsValidator.Validate(settings) is { } fault ? Failure.Validation(fault.Error, fault.Field) : settings;
    }

    /// <summary>The patch that turns <paramref name="from"/> into <paramref name="to"/> (the UI edits whole documents).</summary>
    public static JsonObject Diff(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in to)
        {
            if (!from.TryGetPropertyValue(key, out var old)) patch[key] = value?.DeepClone();
            else if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                var inner = Diff(oldObject, newObject);
                if (inner.Count > 0) patch[key] = inner;
            }
            else if (!JsonNode.DeepEquals(old, value)) patch[key] = value?.DeepClone();
        }

        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key)) patch[key] = null;
        }

        return patch;
    }

    /// <summary>Top-level fields whose values differ, for the audit trail.</summary>
    public static IReadOnlyList<string> ChangedFields(SmsBridgeSettings before, SmsBridgeSettings after) =>
        [.. Diff(JsonNode.Parse(before.ToJson())!.AsObject(), JsonNode.Parse(after.ToJson())!.AsObject()).Select(p => p.Key)];

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Merge(result.TryGetPropertyValue(key, out var existing) ? existing?.DeepClone() : null, value);
        }

        return result;
    }

    private static string? UnknownMember(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}
