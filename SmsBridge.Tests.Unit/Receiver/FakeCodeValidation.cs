using SmsBridge.Receiver.Verification;

namespace SmsBridge.Tests.Receiver;

/// <summary>The code store as the pipeline sees it: records what it was asked and answers the <see cref="CodeCheck"/> chosen.</summary>
internal sealed class FakeCodeValidation(CodeCheck answer) : ICodeValidation
{
    public CodeCheck Answer { get; set; } = answer;

    public List<CodeValidationCall> Calls { get; } = [];

    /// <summary>The code is live, issued to <paramref name="owner"/>, and left so.</summary>
    public static CodeCheck Live(string owner) => new(owner, ConsumedByThisMessage: false, Consumed: false);

    /// <summary>The code was issued to <paramref name="owner"/> and this call consumed it.</summary>
    public static CodeCheck ConsumedNow(string owner) => new(owner, ConsumedByThisMessage: false, Consumed: true);

    /// <summary>No such live code: never issued, expired, or consumed by another message.</summary>
    public static CodeCheck Gone { get; } = new(null, ConsumedByThisMessage: false, Consumed: false);

    /// <summary>This very message consumed it before (a crash came between consuming and recording).</summary>
    public static CodeCheck ConsumedBefore { get; } = new(null, ConsumedByThisMessage: true, Consumed: true);

    public Task<CodeCheck> ValidateAsync(string code, Guid messageId, string sender, bool senderMustOwnCode, bool othersPassed,
        TimeSpan verifiedTtl, DateTimeOffset now)
    {
        Calls.Add(new CodeValidationCall(code, messageId, sender, senderMustOwnCode, othersPassed, verifiedTtl, now));
        return Task.FromResult(Answer);
    }
}

internal sealed record CodeValidationCall(string Code, Guid MessageId, string Sender, bool SenderMustOwnCode, bool OthersPassed,
    TimeSpan VerifiedTtl, DateTimeOffset Now);
