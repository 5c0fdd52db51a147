using OtpNet;
using QRCoder;

namespace SmsBridge.Admin.Accounts.SecondFactor;

/// <summary>
/// An RFC 6238 TOTP key as authenticator apps expect it: 160 random bits, SHA-1, 6 digits, 30-second steps (the
/// defaults every app supports), shown as Base32, an <c>otpauth://</c> URI and that URI as an inline SVG QR code.
/// </summary>
public sealed class AuthenticatorKey(byte[] bytes)
{
    public const string Issuer = "SMS Bridge";
    private const int StepSeconds = 30;

    public byte[] Bytes { get; } = bytes;

    public static AuthenticatorKey Generate() => new(KeyGeneration.GenerateRandomKey(20));

    public string Base32 => Base32Encoding.ToString(Bytes);

    public string OtpAuthUri(string username) => new OtpUri(OtpType.Totp, Base32, username, Issuer).ToString();

    public string QrCodeSvg(string username)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(OtpAuthUri(username), QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    /// <summary>The time step a 6-digit <paramref name="code"/> belongs to, one step either side of now allowed for clock drift.</summary>
    public long? StepOf(string code, DateTimeOffset now)
    {
        var totp = new Totp(Bytes, StepSeconds, OtpHashMode.Sha1, 6);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }

    /// <summary>Whether <paramref name="text"/> looks like an authenticator code rather than a recovery code.</summary>
    public static bool IsCodeShaped(string text) => text.Length == 6 && text.All(char.IsAsciiDigit);
}
