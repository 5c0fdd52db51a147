namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Aspire's parameter: a value from configuration (<c>Parameters:{name}</c>) or, for a secret, from the
/// 0600 secrets file, generated there on first run. Values are never printed.
/// </summary>
public sealed class ParameterResource(string name, Func<string> generate, bool secret = true) : Resource(name)
{
    private string? _value;

    public bool Secret { get; } = secret;

    /// <summary>True when the value is a plain password (the manifest may let the deployer generate it); false for formatted keys.</summary>
    public bool IsPassword { get; init; }

    /// <summary>True when this run generated the value (the first run): the only time the admin login is shown.</summary>
    public bool WasGenerated { get; private set; }

    /// <summary>A line printed once, on the run that generated the value (format item {0} is the value).</summary>
    public string? FirstRunNotice { get; internal set; }

    public string Value => _value ?? throw new InvalidOperationException($"Parameter '{Name}' is not resolved yet.");

    internal Func<string> Generate { get; } = generate;

    internal void Resolve(string? configured, SecretStore store)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            _value = configured;
            return;
        }

        (_value, WasGenerated) = store.GetOrAdd(Name, Generate);
    }
}
