using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>Speaks the contract to a running graph as the backend and a gateway phone would, and reads the database as the owner.</summary>
public sealed class VerificationFlow : IDisposable
{
    private readonly DistributedApplication _app;

    public VerificationFlow(DistributedApplication app)
    {
        _app = app;
        Receiver = app.CreateHttpClient("receiver", "http");
        Backend = app.CreateHttpClient("receiver", "http");
        Backend.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret("backend-api-key"));
        Gateway = app.CreateHttpClient("receiver", "http");
        Gateway.DefaultRequestHeaders.Add("X-Api-Key", Secret("gateway-api-key"));
        // Few connections: the owner role has a small connection limit, and tests only read.
        Database = NpgsqlDataSource.Create(app.GetConnectionStringAsync("smsbridge-migrations").Result! + ";Maximum Pool Size=4");
    }

    /// <summary>No credentials.</summary>
    public HttpClient Receiver { get; }

    /// <summary>Bearer backend key.</summary>
    public HttpClient Backend { get; }

    /// <summary>Gateway key in X-Api-Key.</summary>
    public HttpClient Gateway { get; }

    /// <summary>The owner role: tests read anything and change settings or the blacklist as an operator would.</summary>
    public NpgsqlDataSource Database { get; }

    public string Secret(string parameter) => _app.Secret(parameter);

    /// <summary>A mobile no other test of this run has used (random ones collide: a few thousand flows share one graph's database).</summary>
    public static string NewMobile(string country = "+447700") =>
        country + (100_000 + Interlocked.Increment(ref _mobiles) % 900_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int _mobiles = Random.Shared.Next(0, 900_000);

    public async Task<string> RegisterAsync(string mobile)
    {
        using var response = await RetryingAfter503Async(() => Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("hash").GetString()!;
    }

    public async Task<Guid> ReceiveAsync(string mobile, string message, DateTimeOffset? receivedAt = null)
    {
        var at = receivedAt ?? DateTimeOffset.UtcNow;
        using var response = await RetryingAfter503Async(() => PostSmsAsync(mobile, message, at));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"receive: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("message_id").GetGuid();
    }

    /// <summary>
    /// A 503 is the contract's "try again after Retry-After": the backend and a gateway phone wait and send the same request
    /// again (a receive is idempotent per mobile, text and received time), so these helpers do too, a few times.
    /// </summary>
    public static async Task<HttpResponseMessage> RetryingAfter503Async(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3) return response;
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait);
        }
    }

    public Task<HttpResponseMessage> PostSmsAsync(string mobile, string message, DateTimeOffset receivedAt) =>
        Gateway.PostAsJsonAsync("/sms/receive", new { mobile_number = mobile, message, received_at = receivedAt.UtcDateTime.ToString("O") });

    public Task<HttpResponseMessage> PinSetupAsync(string mobile, string pin, string hash) =>
        Backend.PostAsJsonAsync("/pin-setup", new { mobile_number = mobile, pin, hash });

    /// <summary>Waits for the message's final outcome (verified or rejected:&lt;check&gt;).</summary>
    public async Task<string> OutcomeAsync(Guid messageId, TimeSpan? timeout = null)
    {
        string? outcome = null;
        await Eventually.TrueAsync(async () =>
        {
            outcome = await ScalarAsync<string>("SELECT outcome FROM sms_inbox WHERE id = $1", messageId);
            return outcome is not null and not "pending";
        }, timeout ?? TimeSpan.FromSeconds(20), $"a final outcome for SMS {messageId}");
        return outcome!;
    }

    public async Task<string> VerifyAsync(string mobile)
    {
        var code = await RegisterAsync(mobile);
        Assert.Equal("verified", await OutcomeAsync(await ReceiveAsync(mobile, "ONBOARD:" + code)));
        return code;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Database.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Activates a new settings version: <paramref name="jsonbExpression"/> computes it from the active one,
    /// named <c>s</c> (e.g. <c>jsonb_set(s, '{count_threshold}', '50')</c>), as the admin service would.
    /// </summary>
    public Task ChangeSettingsAsync(string jsonbExpression) => ExecuteAsync($"""
        BEGIN;
        CREATE TEMP TABLE next_settings ON COMMIT DROP AS SELECT {jsonbExpression} AS settings FROM (SELECT settings AS s FROM settings_versions WHERE is_active) AS current;
        UPDATE settings_versions SET is_active = false WHERE is_active;
        INSERT INTO settings_versions (settings, is_active, created_by, change_note, activated_at)
        SELECT settings, true, 'test', 'test change', now() FROM next_settings;
        COMMIT;
        """);

    /// <summary>Back to the seeded defaults (version 1's settings), as a new version.</summary>
    public Task ResetSettingsAsync() => ChangeSettingsAsync("(SELECT settings FROM settings_versions WHERE version = 1)");

    public void Dispose()
    {
        Receiver.Dispose();
        Backend.Dispose();
        Gateway.Dispose();
        Database.Dispose();
    }
}
