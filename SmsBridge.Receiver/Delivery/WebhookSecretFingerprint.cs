using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsBridge.Data.Secrets;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Records, at start, when the current webhook secret was first seen (<c>secret_fingerprints</c>), so doctor can say how
/// old it is. Best effort: a database that is not there yet only costs the record, never the start.
/// </summary>
public sealed class WebhookSecretFingerprint(NpgsqlDataSource dataSource, IOptions<ReceiverSecrets> secrets, TimeProvider time,
    ILogger<WebhookSecretFingerprint> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SecretFingerprints.RecordAsync(dataSource, SecretFingerprints.WebhookSecret,
                Of(secrets.Value.WebhookSecret, secrets.Value.HashKey), time.GetUtcNow(), cancellationToken);
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
