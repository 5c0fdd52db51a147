using System.Security.Cryptography;

namespace SmsBridge.Receiver.Verification;

/// <summary>
/// Codes in Crockford's Base32 alphabet, which leaves out I, L, O and U so nothing reads as something else;
/// drawn from a CSPRNG. Input is read leniently the way Crockford intends (o→0, i/l→1, any case).
/// </summary>
public static class VerificationCodes
{
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Generate(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>The canonical code, or null when the text cannot be a code of this length.</summary>
    public static string? Normalise(string text, int length)
    {
        if (text.Length != length) return null;
        Span<char> code = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            var c = char.ToUpperInvariant(text[i]) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return null;
            code[i] = c;
        }

        return new string(code);
    }
}
