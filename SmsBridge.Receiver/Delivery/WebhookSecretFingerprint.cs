using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Records, at start, when the current webhook secret was first seen (<c>secret_fingerprints</c>), so doctor can say how
/// old it is. Best effort: a database that is not there yet only costs the record, never the start.
/// </summary>
public sealed class WebhookSecretFingerprint(NpgsqlDataSource dataSource, IOptions<ReceiverSecrets> secrets, TimeProvider time,
    ILogger<WebhookSecretFingerprint> logger) : IHostedService
{
    public const string Name = "webhook-secret";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO secret_fingerprints (name, fingerprint, first_seen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
            command.Parameters.Add(new() { Value = Name });
            command.Parameters.Add(new() { Value = Of(secrets.Value.WebhookSecret, secrets.Value.HashKey) });
            command.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or FormatException)
        {
            logger.LogWarning("The webhook secret's first use was not recorded ({Reason}); doctor cannot tell its age", ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Of(string secret, string hashKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(hashKey), Encoding.UTF8.GetBytes(secret)))[..32];
}
