using Npgsql;

namespace SmsBridge.Admin.Accounts.Tokens;

/// <summary>An API token as listed: never its secret, which is kept only as a hash.</summary>
public sealed record ApiToken(long Id, string Owner, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt, string? LastUsedFrom);

/// <summary>A live token found by its hash: the token's role, and its owner's role now (a demoted owner caps the token).</summary>
public sealed record TokenHolder(long Id, string Username, string OwnerRole, string TokenRole, DateTimeOffset? LastUsedAt);

/// <summary><c>admin_api_tokens</c>.</summary>
public sealed class ApiTokenStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        t.id, u.username, t.name, t.role, t.created_at, t.expires_at, t.revoked_at, t.revoked_by, t.last_used_at, t.last_used_from
        """;

    /// <summary>Stores a new token on the caller's transaction; null when the owner already has a live token of that name.</summary>
    public async Task<ApiToken?> CreateAsync(NpgsqlTransaction transaction, string owner, string name, string role,
        byte[] tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO admin_api_tokens (user_id, name, role, token_hash, created_at, expires_at)
            SELECT id, $2, $3, $4, $5, $6 FROM admin_users WHERE username = $1
            ON CONFLICT (user_id, name) WHERE revoked_at IS NULL DO NOTHING
            RETURNING id
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = tokenHash });
        command.Parameters.Add(new() { Value = createdAt.UtcDateTime });
        command.Parameters.Add(new() { Value = expiresAt.UtcDateTime });
        return await command.ExecuteScalarAsync(cancellationToken) is long id
            ? new ApiToken(id, owner, name, role, createdAt, expiresAt, null, null, null, null)
            : null;
    }

    /// <summary>The tokens of <paramref name="owner"/>, or of every account when null; newest first.</summary>
    public async Task<IReadOnlyList<ApiToken>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM admin_api_tokens t JOIN admin_users u ON u.id = t.user_id
            WHERE $1::text IS NULL OR u.username = $1
            ORDER BY t.created_at DESC, t.id DESC
            """);
        command.Parameters.Add(new() { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        List<ApiToken> tokens = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tokens.Add(Read(reader));
        return tokens;
    }

    public async Task<ApiToken?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM admin_api_tokens t JOIN admin_users u ON u.id = t.user_id WHERE t.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Revokes a live token on the caller's transaction; false when it was already revoked.</summary>
    public async Task<bool> RevokeAsync(NpgsqlTransaction transaction, long id, string revokedBy, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE admin_api_tokens SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = revokedBy });
        command.Parameters.Add(new() { Value = at.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<TokenHolder?> FindLiveAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.id, u.username, u.role, t.role, t.last_used_at
            FROM admin_api_tokens t JOIN admin_users u ON u.id = t.user_id
            WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2
            """);
        command.Parameters.Add(new() { Value = tokenHash });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TokenHolder(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero))
            : null;
    }

    public async Task RecordUseAsync(long id, DateTimeOffset at, string? sourceAddress, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE admin_api_tokens SET last_used_at = $2, last_used_from = $3 WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = at.UtcDateTime });
        command.Parameters.Add(new() { Value = (object?)sourceAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ApiToken Read(NpgsqlDataReader reader)
    {
        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetDateTime(i), TimeSpan.Zero);
        return new ApiToken(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), At(4)!.Value, At(5)!.Value,
            At(6), reader.IsDBNull(7) ? null : reader.GetString(7), At(8), reader.IsDBNull(9) ? null : reader.GetString(9));
    }
}
