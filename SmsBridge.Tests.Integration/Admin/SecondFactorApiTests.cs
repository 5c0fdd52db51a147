using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Admin;

/// <summary>TOTP enrolment through the API: a key shown once, confirmed with a code, recovery codes stored hashed, every step audited.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed partial class SecondFactorApiTests(AdminGraphFixture graph)
{
    private async Task<HttpClient> NewAccountAsync(string username, string password, string role = "admin")
    {
        await graph.CreateAccountAsync(username, password, role);
        return graph.CreateClient(username, password);
    }

    [Fact]
    public async Task An_operator_enrols_with_a_code_gets_ten_hashed_recovery_codes_and_basic_then_asks_for_a_token()
    {
        const string user = "totp-api";
        using var client = await NewAccountAsync(user, "totp-api-password-1");

        var before = await AdminTestKit.JsonAsync(await client.GetAsync("/admin/account"), HttpStatusCode.OK);
        Assert.False(before.GetProperty("second_factor").GetProperty("enrolled").GetBoolean());
        await AdminTestKit.ProblemAsync(await client.PostAsJsonAsync("/admin/account/second-factor/confirm", new { code = "123456" }),
            HttpStatusCode.Conflict, "CONFLICT");

        var enrolment = await AdminTestKit.JsonAsync(await client.PostAsync("/admin/account/second-factor", null), HttpStatusCode.OK);
        var key = enrolment.GetProperty("key").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", key);
        Assert.Equal($"otpauth://totp/SMS%20Bridge:{user}?secret={key}&issuer=SMS%20Bridge",
            Regex.Replace(enrolment.GetProperty("otp_auth_uri").GetString()!, "&(algorithm|digits|period)=[^&]*", ""));
        Assert.StartsWith("<svg", enrolment.GetProperty("qr_code_svg").GetString()!.TrimStart(), StringComparison.Ordinal);

        var phone = new AuthenticatorApp(key);
        await AdminTestKit.ProblemAsync(await client.PostAsJsonAsync("/admin/account/second-factor/confirm", new { code = phone.WrongCode() }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "code");

        var confirmed = await AdminTestKit.JsonAsync(
            await client.PostAsJsonAsync("/admin/account/second-factor/confirm", new { code = await phone.NextCodeAsync() }), HttpStatusCode.OK);
        var codes = confirmed.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", c));

        // Basic cannot carry the code: the right password now gets a 401 that says to use a token.
        using var response = await client.GetAsync("/admin/settings");
        var problem = await AdminTestKit.ProblemAsync(response, HttpStatusCode.Unauthorized, "SECOND_FACTOR_REQUIRED");
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // At rest: the key is ciphertext and the recovery codes are hashes.
        await using (var command = graph.Database.CreateCommand("""
            SELECT u.totp_key_protected, u.totp_enrolled_at IS NOT NULL, count(c.*), bool_or(c.code_hash = sha256(convert_to($2, 'UTF8')))
            FROM admin_users u JOIN admin_recovery_codes c ON c.user_id = u.id WHERE u.username = $1 GROUP BY u.id
            """))
        {
            command.Parameters.Add(new() { Value = user });
            command.Parameters.Add(new() { Value = codes[0].Replace("-", "") });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.DoesNotContain(key, reader.GetString(0), StringComparison.Ordinal);
            Assert.True(reader.GetBoolean(1));
            Assert.Equal(10, reader.GetInt64(2));
            Assert.True(reader.GetBoolean(3), "recovery codes are stored as SHA-256 of their canonical form");
        }

        foreach (var step in new[] { "auth.second_factor_enrolment_started", "auth.second_factor_failed", "auth.second_factor_enrolled" })
        {
            Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, step), r => r.Actor == user);
        }

        // Phone and codes lost: the operator's CLI reset removes the second factor with the new password.
        await graph.CreateAccountAsync(user, "totp-api-password-2", "admin", "--update", "--reset-second-factor");
        using var reset = graph.CreateClient(user, "totp-api-password-2");
        var after = await AdminTestKit.JsonAsync(await reset.GetAsync("/admin/account"), HttpStatusCode.OK);
        Assert.False(after.GetProperty("second_factor").GetProperty("enrolled").GetBoolean());
        Assert.Equal(0, after.GetProperty("second_factor").GetProperty("recovery_codes_left").GetInt32());
        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "auth.second_factor_reset", user), r => r.Actor.StartsWith("cli:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout_like_wrong_passwords()
    {
        const string user = "totp-lockout";
        const string password = "totp-lockout-password";
        using var client = await NewAccountAsync(user, password, "viewer");
        var enrolment = await AdminTestKit.JsonAsync(await client.PostAsync("/admin/account/second-factor", null), HttpStatusCode.OK);
        var phone = new AuthenticatorApp(enrolment.GetProperty("key").GetString()!);

        for (var i = 0; i < 5; i++)
        {
            await AdminTestKit.ProblemAsync(await client.PostAsJsonAsync("/admin/account/second-factor/confirm", new { code = phone.WrongCode() }),
                HttpStatusCode.BadRequest, "VALIDATION_ERROR", "code");
        }

        // Five wrong codes lock the account: even the right password is refused now.
        using var locked = await client.GetAsync("/admin/account");
        await AdminTestKit.ProblemAsync(locked, HttpStatusCode.Unauthorized, "ACCOUNT_LOCKED");
        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "auth.locked_out"), r => r.Actor == user);
    }
}
