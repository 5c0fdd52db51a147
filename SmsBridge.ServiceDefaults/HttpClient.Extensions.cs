using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using SmsBridge.ServiceDefaults.Http;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<IConfiguration>()));

    /// <summary>
    /// The standard pipeline (see <see cref="HttpStandardResilienceOptions"/>) on every HttpClient, each with its
    /// own breaker state. A handler-builder filter adds it, since only the filter knows each client's name.
    /// </summary>
    public static IServiceCollection AddStandardResilienceHandler(this IServiceCollection services)
    {
        services.TryAddSingleton<ResiliencePipelines>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, ResilienceHandlerFilter>());
        return services;
    }

    /// <summary>Tunes (or with <c>Enabled = false</c>, removes) the standard pipeline of one named client.</summary>
    public static IHttpClientBuilder ConfigureStandardResilience(this IHttpClientBuilder builder, Action<HttpStandardResilienceOptions> configure)
    {
        builder.Services.Configure(builder.Name, configure);
        return builder;
    }

    private sealed class ResilienceHandlerFilter(ResiliencePipelines pipelines) : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            builder.AdditionalHandlers.Insert(0, new ResilienceHandler(pipelines.Get(builder.Name ?? "")));
        };
    }
}
