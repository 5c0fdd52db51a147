namespace SmsBridge.Receiver;

/// <summary>Bound from <c>Receiver</c>: deployment facts that are not business settings.</summary>
public sealed class ReceiverOptions
{
    /// <summary>Where gateway phones may post from (CIDRs). Default: loopback and the private ranges.</summary>
    public string[] AllowedSources { get; set; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"];

    /// <summary>How far a gateway's X-Timestamp may be from our clock.</summary>
    public TimeSpan GatewaySignatureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Accepted SMS waiting for validation beyond which <c>POST /sms/receive</c> answers 503 with Retry-After (0: no bound).
    /// Validation runs in batches and keeps up with intake, so this is reached only when validation cannot run (Redis down
    /// for long) or intake outruns it for longer than a burst.
    /// </summary>
    public int MaxPendingBacklog { get; set; } = 10_000;

    /// <summary>What a refused gateway is told to wait before it retries.</summary>
    public TimeSpan BacklogRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an accepted SMS stays with the receiver that accepted it (or whose sweep claimed it) before another
    /// receiver may take it over: far longer than a validation, short enough that a dead receiver's work moves on.
    /// </summary>
    public TimeSpan InboxLease { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Bound from <c>Secrets</c> (secret parameters; never from the settings payload).</summary>
public sealed class ReceiverSecrets
{
    public string BackendApiKey { get; set; } = "";
    public string GatewayApiKey { get; set; } = "";
    public string GatewaySigningKey { get; set; } = "";

    /// <summary>Standard Webhooks secret, <c>whsec_&lt;base64&gt;</c>.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>During rotation, the previous secret signs too.</summary>
    public string? WebhookSecretPrevious { get; set; }

    /// <summary>AES-256 key (base64) for PINs at rest.</summary>
    public string PinEncryptionKey { get; set; } = "";

    /// <summary>HMAC key (base64) that peppers the PIN hash kept after delivery.</summary>
    public string HashKey { get; set; } = "";
}
