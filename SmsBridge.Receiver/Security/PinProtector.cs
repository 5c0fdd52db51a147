using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SmsBridge.Receiver.Security;

/// <summary>
/// PINs at rest: AES-256-GCM until delivered (nonce | ciphertext | tag), and afterwards only a salted,
/// keyed hash (HMAC-SHA256 with the secret hash key): a 6-digit space is trivial to brute-force from a
/// plain or merely salted hash, but not without the key.
/// </summary>
public sealed class PinProtector(IOptions<ReceiverSecrets> secrets)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _encryptionKey = Convert.FromBase64String(secrets.Value.PinEncryptionKey);
    private readonly byte[] _hashKey = Convert.FromBase64String(secrets.Value.HashKey);

    public byte[] Encrypt(string pin)
    {
        var plaintext = Encoding.UTF8.GetBytes(pin);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length));
        return output;
    }

    public string Decrypt(byte[] sealedPin)
    {
        var length = sealedPin.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(sealedPin.AsSpan(0, NonceSize), sealedPin.AsSpan(NonceSize, length), sealedPin.AsSpan(NonceSize + length), plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }

    public (byte[] Hash, byte[] Salt) Hash(string pin)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return (Hash(pin, salt), salt);
    }

    public byte[] Hash(string pin, byte[] salt) => HMACSHA256.HashData(_hashKey, (byte[])[.. salt, .. Encoding.UTF8.GetBytes(pin)]);
}
