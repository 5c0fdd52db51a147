using Microsoft.Extensions.Configuration;

namespace SmsBridge.ServiceDefaults.Http;

/// <summary>
/// Resolves Aspire-style logical addresses (<c>http://receiver</c>, <c>https+http://receiver</c>) from
/// <c>services:{name}:{scheme}:0</c> configuration, which the AppHost injects as <c>services__receiver__http__0</c>.
/// </summary>
internal sealed class ServiceDiscoveryHandler(IConfiguration configuration) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && Resolve(uri) is { } resolved)
        {
            request.RequestUri = resolved;
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal Uri? Resolve(Uri uri)
    {
        if (uri.Host.Contains('.', StringComparison.Ordinal) || uri.HostNameType != UriHostNameType.Dns) return null;
        foreach (var scheme in uri.Scheme.Split('+'))
        {
            var endpoint = configuration[$"services:{uri.Host}:{scheme}:0"];
            if (string.IsNullOrEmpty(endpoint)) continue;
            var target = new Uri(endpoint);
            return new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        return null;
    }
}
