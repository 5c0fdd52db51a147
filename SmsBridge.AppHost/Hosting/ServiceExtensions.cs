using Microsoft.Extensions.Configuration;
using SmsBridge.AppHost.Publishing;

namespace SmsBridge.AppHost.Hosting;

/// <summary>How each SMS Bridge service is declared: its public and management endpoints, logs and data folders.</summary>
public static class ServiceExtensions
{
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, LocalData data)
        where TProject : IProjectMetadata, new()
    {
        // Fixed container ports in what is published (the compose stack needs them); in a local run each gets a free port.
        var publish = builder.ExecutionContext.IsPublishMode;
        var service = builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(name: "http", targetPort: publish ? ProductionStack.HttpTargetPort : null)
            // ServiceDefaults listens on Management:Port itself; an endpoint with env: stays out of ASPNETCORE_URLS.
            .WithHttpEndpoint(name: "management", targetPort: publish ? ProductionStack.ManagementTargetPort : null, env: "Management__Port")
            .WithHttpHealthCheck("/health");
        if (publish)
        {
            // References give connection strings and service discovery only (no CACHE_HOST/RECEIVER_HTTP… splats), and the
            // services trust X-Forwarded-* from the proxy's address alone (the compose stack sets it), not from anyone.
            service.WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString | ReferenceEnvironmentInjectionFlags.ServiceDiscovery)
                .DisableForwardedHeaders()
                .WithEnvironment("Logging__Files__Directory", ProductionStack.LogDirectory);
        }
        else
        {
            service.WithEnvironment("Logging__Files__Directory", data.PathOf("logs"))
                .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
                .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName)
                .LaunchBuiltAssembly();
        }

        // Plain HTTP on loopback in a local run (TLS is the proxy's job in production): no development certificate needed.
#pragma warning disable ASPIRECERTIFICATES001
        return service.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
    }

    /// <summary>
    /// Runs the project's built assembly with <c>dotnet</c> rather than through <c>dotnet run</c>, which adds a second process per
    /// service, ~125 MB and ~13 s on every stop; the resource's pid is then the service's own. The AppHost's build builds it first.
    /// </summary>
    private static IResourceBuilder<ProjectResource> LaunchBuiltAssembly(this IResourceBuilder<ProjectResource> service)
    {
        var project = service.Resource.GetProjectMetadata().ProjectPath;
        var name = Path.GetFileNameWithoutExtension(project);
        var configuration = typeof(ServiceExtensions).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";
        var output = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, "net10.0");
        return service.WithAnnotation(new ExecutableAnnotation { Command = "dotnet", WorkingDirectory = output },
                ResourceAnnotationMutationBehavior.Replace)
            .WithArgs(Path.Combine(output, name + ".dll"));
    }

    public static IResourceBuilder<ProjectResource> WithPublicHttpEndpoint(this IResourceBuilder<ProjectResource> service) =>
        service.WithEndpoint("http", endpoint => endpoint.IsExternal = true);

    public static IResourceBuilder<ProjectResource> WithDataDirectory(this IResourceBuilder<ProjectResource> service, string variable,
        string folder, LocalData data) =>
        service.WithEnvironment(variable, service.ApplicationBuilder.ExecutionContext.IsRunMode
            ? data.PathOf(folder)
            : $"{ProductionStack.ServiceDataRoot}/{folder}");

    /// <summary>The fixed internal endpoints the admin service may open a time-boxed forwarder to.</summary>
    public static IResourceBuilder<ProjectResource> WithMonitoringEndpoints(this IResourceBuilder<ProjectResource> admin,
        IResourceBuilder<ProjectResource> receiver, IDistributedApplicationBuilder builder)
    {
        admin.WithEnvironment("Monitoring__Endpoints__metrics", HostAndPort(receiver.GetEndpoint("management"), builder.ExecutionContext.IsRunMode));
        // The servers of the graph, local or containers; none when existing servers are given by connection string.
        foreach (var server in builder.Resources.OfType<IResourceWithEndpoints>()
                     .Where(r => r is LocalPostgresResource or LocalRedisResource or PostgresServerResource or RedisResource))
        {
            var key = server is LocalPostgresResource or PostgresServerResource ? "postgres" : "redis";
            admin.WithEnvironment($"Monitoring__Endpoints__{key}", HostAndPort(new EndpointReference(server, "tcp"), builder.ExecutionContext.IsRunMode));
        }

        return admin;
    }

    /// <summary>An IP and port the admin service can dial: loopback in a local run, the container's name and port when published.</summary>
    private static ReferenceExpression HostAndPort(EndpointReference endpoint, bool runMode) => runMode
        ? ReferenceExpression.Create($"127.0.0.1:{endpoint.Property(EndpointProperty.Port)}")
        : ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.TargetPort)}");
}
