namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// How one output writes what a manifest expression leaves open: a parameter's value, a server's host name and the
/// literal text around expressions, and whether the pooled role reaches PostgreSQL through PgBouncer.
/// </summary>
internal sealed record ExpressionStyle(Func<string, string> Parameter, Func<string, string> Host, Func<string, string> Literal, bool ThroughPooler)
{
    /// <summary>
    /// Compose: a parameter is a variable from <c>.env</c> (<c>${NAME}</c>), so that no secret is written into the file;
    /// a literal <c>$</c> is escaped for compose. <c>config</c> passes on a checkout without .env (with a warning naming
    /// the variable), and every consumer refuses a blank secret at start, naming it.
    /// </summary>
    public static ExpressionStyle Compose { get; } = new(
        name => $"${{{ProductionStack.Variable(name)}}}", host => host, text => text.Replace("$", "$$", StringComparison.Ordinal), ThroughPooler: true);
}
