using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmsBridge.Tests.Doctor;

/// <summary>A throwaway CA → intermediate → leaf hierarchy, like Let's Encrypt's, for serving over loopback.</summary>
public sealed class TestPki : IDisposable
{
    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public TestPki()
    {
        var now = DateTimeOffset.UtcNow;
        Root = Authority("CN=SMS Bridge Test Root", issuer: null, now.AddDays(-1), now.AddYears(1));
        Intermediate = Authority("CN=SMS Bridge Test Intermediate", Root, now.AddDays(-1), now.AddDays(300));
    }

    /// <summary>A server certificate for localhost and 127.0.0.1, issued by the intermediate, that ends after <paramref name="lifetime"/>.</summary>
    public X509Certificate2 Leaf(string name, TimeSpan lifetime)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Intermediate, now.AddHours(-1), now + lifetime, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The PEM files nginx reads: the leaf (and the intermediate when <paramref name="withIntermediate"/>) and its key.</summary>
    public static (string Certificate, string Key) WritePem(string folder, string name, X509Certificate2 leaf, X509Certificate2? intermediate)
    {
        var certificate = Path.Combine(folder, name + ".pem");
        var key = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificate, leaf.ExportCertificatePem() + "\n" + (intermediate?.ExportCertificatePem() + "\n"));
        using var rsa = leaf.GetRSAPrivateKey()!;
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificate, key);
    }

    public void Dispose()
    {
        Intermediate.Dispose();
        Root.Dispose();
    }

    private static X509Certificate2 Authority(string subject, X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null) return request.CreateSelfSigned(notBefore, notAfter);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }
}
