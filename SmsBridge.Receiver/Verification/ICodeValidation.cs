namespace SmsBridge.Receiver.Verification;

/// <summary>
/// What validating one SMS needs from the code store (<see cref="CodeStore"/> in production): the code's owner and, when
/// <paramref name="othersPassed"/> and the mobile rule allow it, its consumption with the sender marked verified, atomically.
/// </summary>
public interface ICodeValidation
{
    /// <summary>
    /// <paramref name="senderMustOwnCode"/>: the code is consumed only when issued to <paramref name="sender"/>;
    /// <paramref name="verifiedTtl"/>: how long the verified mark lives; idempotent per <paramref name="messageId"/>.
    /// </summary>
    Task<CodeCheck> ValidateAsync(string code, Guid messageId, string sender, bool senderMustOwnCode, bool othersPassed,
        TimeSpan verifiedTtl, DateTimeOffset now);
}
