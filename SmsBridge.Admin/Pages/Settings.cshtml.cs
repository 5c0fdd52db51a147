using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Settings;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Pages;

public sealed class SettingsModel(SettingsVersions versions, SettingsService settings) : AdminPageModel
{
    // Razor HTML-encodes the document; the JSON encoder need not escape '+' and friends as well.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public SettingsVersion Active { get; private set; } = null!;

    public string ActiveJson { get; private set; } = "";

    public IReadOnlyList<SettingsVersion> History { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Active = await versions.GetActiveAsync(cancellationToken);
        ActiveJson = SettingsMasking.Masked(Active.Settings).ToJsonString(Indented);
        History = await versions.HistoryAsync(50, cancellationToken);
    }

    /// <summary>The page edits the whole (masked) document; only the fields the operator changed are sent on.</summary>
    public async Task<IActionResult> OnPostSaveAsync(int baseVersion, string? json, string? changeNote, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var active = await versions.GetActiveAsync(cancellationToken);
        if (active.Version != baseVersion) return Refused($"The settings changed meanwhile (now version {active.Version}); review them and edit again.");
        JsonObject edited;
        try
        {
            edited = JsonNode.Parse(json ?? "") as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Refused("The settings are not a valid JSON object.");
        }

        var patch = SettingsPatch.Diff(SettingsMasking.Masked(active.Settings), edited);
        if (patch.Count == 0) return Refused("Nothing changed.");
        var outcome = await settings.CreateAsync(patch, changeNote, Actor, cancellationToken);
        return Done(outcome, $"Saved as version {outcome.Value?.Version}.");
    }

    public async Task<IActionResult> OnPostActivateAsync(int version, string? changeNote, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var outcome = await settings.ActivateAsync(version, changeNote, Actor, cancellationToken);
        return Done(outcome, $"Version {version} is active again.");
    }
}
