using System.Text.Json.Nodes;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Settings;

/// <summary>
/// New settings versions and rollbacks, each validated before anything is written, and stored with its audit row (and change
/// note) in one transaction.
/// A change of <c>monitoring_ports</c> follows the port-config rules (no open port, ports free).
/// </summary>
public sealed class SettingsService(SettingsVersions versions, PortRegistry ports, AdminChanges changes)
{
    public const int MaxNoteLength = 500;

    public async Task<Outcome<SettingsVersion>> CreateAsync(JsonNode? patch, string? changeNote, Actor actor, CancellationToken cancellationToken)
    {
        if (NoteProblem(changeNote) is { } noteProblem) return noteProblem;
        var active = await versions.GetActiveAsync(cancellationToken);
        var merged = SettingsPatch.Apply(active.Settings, patch);
        if (merged.Value is not { } settings) return merged.Failure!;

        async Task<Outcome<SettingsVersion>> Store()
        {
            var current = await versions.GetActiveAsync(cancellationToken);
            var version = await changes.RunAsync<int>(actor, async change =>
            {
                var created = await versions.CreateActiveAsync(change.Transaction, settings, actor.Name, changeNote!.Trim(), cancellationToken);
                change.Audit("settings.changed", $"settings version {created}", new Dictionary<string, object?>
                {
                    ["version"] = created,
                    ["previous_version"] = current.Version,
                    ["change_note"] = changeNote.Trim(),
                    ["changed_fields"] = SettingsPatch.ChangedFields(current.Settings, settings),
                });
                return created;
            }, cancellationToken);
            return (await versions.GetAsync(version.Value, cancellationToken))!;
        }

        if (settings.MonitoringPorts == active.Settings.MonitoringPorts) return await Store();
        return await ports.WhileAllClosedAsync(async () =>
            PortConfigService.CheckPorts(active.Settings.MonitoringPorts, settings.MonitoringPorts, ports.BindAddress) is { } failure
                ? failure
                : await Store(), cancellationToken);
    }

    /// <summary>Makes an earlier (or any) version active again: the rollback.</summary>
    public async Task<Outcome<SettingsVersion>> ActivateAsync(int version, string? changeNote, Actor actor, CancellationToken cancellationToken)
    {
        if (changeNote is { Length: > MaxNoteLength }) return Failure.Validation($"must be at most {MaxNoteLength} characters", "change_note");
        var target = await versions.GetAsync(version, cancellationToken);
        if (target is null) return Failure.NotFound($"There is no settings version {version}.");
        var active = await versions.GetActiveAsync(cancellationToken);
        var note = string.IsNullOrWhiteSpace(changeNote) ? $"Activated version {version} (was {active.Version})" : changeNote.Trim();

        async Task<Outcome<SettingsVersion>> Activate()
        {
            var activated = await changes.RunAsync<int>(actor, async change =>
            {
                if (!await versions.ActivateAsync(change.Transaction, version, cancellationToken))
                {
                    return Failure.NotFound($"There is no settings version {version}.");
                }

                change.Audit("settings.activated", $"settings version {version}", new Dictionary<string, object?>
                {
                    ["version"] = version,
                    ["previous_version"] = active.Version,
                    ["change_note"] = note,
                    ["changed_fields"] = SettingsPatch.ChangedFields(active.Settings, target.Settings),
                });
                return version;
            }, cancellationToken);
            return activated.Failure is { } failure ? failure : (await versions.GetAsync(version, cancellationToken))!;
        }

        if (target.Settings.MonitoringPorts == active.Settings.MonitoringPorts) return await Activate();
        return await ports.WhileAllClosedAsync(async () =>
            PortConfigService.CheckPorts(active.Settings.MonitoringPorts, target.Settings.MonitoringPorts, ports.BindAddress) is { } failure
                ? failure
                : await Activate(), cancellationToken);
    }

    private static Failure? NoteProblem(string? note) =>
        string.IsNullOrWhiteSpace(note) ? Failure.Validation("say why: every settings change needs a change note", "change_note")
        : note.Length > MaxNoteLength ? Failure.Validation($"must be at most {MaxNoteLength} characters", "change_note")
        : null;
}
