using OtpNet;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// What an operator's phone does: holds the Base32 key from enrolment and shows the RFC 6238 code (SHA-1, 6 digits,
/// 30 s). The service accepts each time step once and one step either side of now, so <see cref="NextCodeAsync"/>
/// gives the code of the earliest step not used yet, waiting for the clock only when all three are spent.
/// </summary>
public sealed class AuthenticatorApp(string base32Key)
{
    private readonly Totp _totp = new(Base32Encoding.ToBytes(base32Key));
    private long _lastStep = -1;

    public async Task<string> NextCodeAsync()
    {
        while (true)
        {
            var current = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            var step = Math.Max(_lastStep + 1, current - 1);
            if (step <= current + 1)
            {
                _lastStep = step;
                return _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A six-digit code that no step the service accepts now or in the next minute would produce.</summary>
    public string WrongCode()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var valid = Enumerable.Range(-2, 5).Select(d => _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds((now + d) * 30).UtcDateTime)).ToHashSet();
        return Enumerable.Range(0, 100).Select(i => (123456 + i * 7919 % 1_000_000).ToString("D6")).First(c => !valid.Contains(c));
    }
}
