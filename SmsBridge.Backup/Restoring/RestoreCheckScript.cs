using System.Globalization;
using System.Text.Json;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Dumping;

namespace SmsBridge.Backup.Restoring;

/// <summary>
/// The SQL that wraps a restore script in one transaction and ends it with the post-restore check. The check runs
/// before COMMIT, inside the restore's own transaction, so it sees exactly the restored rows: the services writing
/// again the moment the restore commits (they keep running) can never make it report a false mismatch. A real
/// mismatch raises an error, and since COMMIT is only reached after the check, the whole restore rolls back.
/// </summary>
internal static class RestoreCheckScript
{
    /// <summary>The prefix of the error the check raises; the restorer finds the problems after it in psql's output.</summary>
    public const string MismatchMarker = "smsbridge-restore-mismatch: ";

    private const string ExpectedTag = "$smsbridge_expected$";

    public const string Begin = "BEGIN;\n";

    public const string Commit = "COMMIT;\n";

    /// <summary>
    /// Compares every table the manifest lists (counted and fingerprinted in the dump's snapshot) with what the
    /// transaction now holds, with the same text form and fingerprint as <see cref="TableFingerprints"/>.
    /// </summary>
    public static string Check(IReadOnlyList<TableContents> expected)
    {
        var json = JsonSerializer.Serialize(expected, BackupManifest.Json);
        // The manifest is not signed: its names reach SQL only as to_regclass() input, and it cannot close the quote.
        if (json.Contains(ExpectedTag, StringComparison.Ordinal)) throw new InvalidDataException("The manifest's table list is malformed.");
        var fingerprint = string.Format(CultureInfo.InvariantCulture, TableFingerprints.CountAndFingerprint, "%s");
        return $"""

            -- SMS Bridge: the restored rows against the backup's manifest, before COMMIT.
            SET LOCAL search_path TO DEFAULT;
            {TableFingerprints.SessionSettings(local: true)};
            SET LOCAL client_min_messages = warning;
            DO $smsbridge_check$
            DECLARE
              expected jsonb := {ExpectedTag}{json}{ExpectedTag};
              item jsonb;
              relation regclass;
              found_rows bigint;
              found_fingerprint text;
              problems text[] := ARRAY[]::text[];
            BEGIN
              FOR item IN SELECT value FROM jsonb_array_elements(expected) LOOP
                relation := to_regclass(item->>'table');
                IF relation IS NULL THEN
                  problems := problems || format('table %s is missing', item->>'table');
                  CONTINUE;
                END IF;
                EXECUTE format('{fingerprint}', relation) INTO found_rows, found_fingerprint;
                IF found_rows <> (item->>'rows')::bigint THEN
                  problems := problems || format('table %s has %s rows, expected %s', item->>'table', found_rows, item->>'rows');
                ELSIF found_fingerprint <> item->>'fingerprint' THEN
                  problems := problems || format('table %s has %s rows as expected but different contents', item->>'table', found_rows);
                END IF;
              END LOOP;
              IF cardinality(problems) > 0 THEN
                RAISE EXCEPTION '{MismatchMarker}%', array_to_string(problems, '; ');
              END IF;
            END
            $smsbridge_check$;

            """;
    }
}
