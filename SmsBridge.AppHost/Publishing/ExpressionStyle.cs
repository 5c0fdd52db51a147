namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// How one output writes what a manifest expression leaves open: a parameter's value, a server's host name and the
/// literal text around expressions, and whether the pooled role reaches PostgreSQL through PgBouncer.
/// </summary>
internal sealed record ExpressionStyle(Func<string, string> Parameter, Func<string, string> Host, Func<string, string> Literal, bool ThroughPooler)
{
    /// <summary>
    /// Compose's text: a parameter as a shell variable (<c>${NAME}</c>, what the Kubernetes README's commands export from
    /// the secret files) and a literal <c>$</c> escaped for compose. The compose stack itself writes no parameter this
    /// way: <see cref="ComposeSecrets.Style"/> marks them, and each becomes a mounted secret file.
    /// </summary>
    public static ExpressionStyle Compose { get; } = new(
        name => $"${{{ProductionStack.Variable(name)}}}", host => host, text => text.Replace("$", "$$", StringComparison.Ordinal), ThroughPooler: true);
}
