using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsBridge.ServiceDefaults.Http;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<IConfiguration>()));

    /// <summary>Adds the standard pipeline (see <see cref="HttpStandardResilienceOptions"/>); <paramref name="configure"/> tunes it for this client.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder,
        Action<HttpStandardResilienceOptions>? configure = null)
    {
        builder.Services.TryAddSingleton<ResiliencePipelines>();
        if (configure is not null) builder.Services.Configure(builder.Name, configure);
        return builder.AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<ResiliencePipelines>().Get(builder.Name)));
    }

    /// <summary>Tunes (or with <c>Enabled = false</c>, removes) the default pipeline of one named client.</summary>
    public static IHttpClientBuilder ConfigureStandardResilience(this IHttpClientBuilder builder, Action<HttpStandardResilienceOptions> configure)
    {
        builder.Services.Configure(builder.Name, configure);
        return builder;
    }
}
