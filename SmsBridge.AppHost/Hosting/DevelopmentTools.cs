using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The local graph's two development-only projects, so F5 alone verifies a first user: a sample backend that registers
/// mobiles, sets PINs and receives the webhooks, and a gateway simulator that posts the SMS. Run mode only, and excluded
/// from the manifest, so no published output (manifest, compose, Kubernetes) ever has them.
/// </summary>
public static class DevelopmentTools
{
    public const string SampleBackend = "sample-backend";
    public const string GatewaySimulator = "gateway-simulator";

    /// <summary>In a local run unless <c>AppHost:DevelopmentTools=false</c> (test graphs and benchmarks that do not need them).</summary>
    public static bool WantsDevelopmentTools(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode && builder.Configuration.GetValue("AppHost:DevelopmentTools", true);

    public static IResourceBuilder<ProjectResource> AddDevelopmentTool<TProject>(this IDistributedApplicationBuilder builder, string name,
        LocalData data) where TProject : IProjectMetadata, new() =>
        builder.AddService<TProject>(name, data).ExcludeFromManifest();

    /// <summary>
    /// The receiver's first settings version sends webhooks to <paramref name="backend"/>, named for service discovery so the
    /// URL holds across runs (ports change). Only a fresh data folder takes it: settings already kept are the operator's.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebhooksTo(this IResourceBuilder<ProjectResource> receiver,
        IResourceBuilder<ProjectResource> backend) =>
        receiver.WithReference(backend).WithEnvironment("FirstSettings__SyncUrl", $"http://{backend.Resource.Name}/webhook");
}
