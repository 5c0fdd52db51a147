using Microsoft.Extensions.Configuration;
using SmsBridge.AppHost.Hosting;

if (SmsBridge.AppHost.Publishing.PublisherCommand.IsRequested(args)) { Environment.ExitCode = await SmsBridge.AppHost.Publishing.PublisherCommand.RunAsync(args, Console.Out); return; }
var builder = DistributedApplication.CreateBuilder(args);
var data = LocalData.From(builder);
if (!await data.IsReachableAsync(builder)) return; // it has said which folder and what to do
builder.AddStartupReport();

// Infrastructure: PostgreSQL (three role connections) and Redis; given connection strings, existing servers instead.
var (database, migrations, backupReader) = builder.AddDatabase(data);
var cache = builder.AddCache(data);

// Services
var backendApiKey = builder.AddSecret("backend-api-key", Secrets.Password);
var gatewayApiKey = builder.AddSecret("gateway-api-key", Secrets.Password);
var gatewaySigningKey = builder.AddSecret("gateway-signing-key", Secrets.Password);
var webhookSecret = builder.AddSecret("webhook-secret", Secrets.WebhookSecret);
var receiver = builder.AddService<Projects.SmsBridge_Receiver>("receiver", data)
    .WithReference(database).WithReference(migrations).WithReference(cache)
    .WaitFor(migrations).WaitFor(cache)
    .WithEnvironment("Secrets__BackendApiKey", backendApiKey)
    .WithEnvironment("Secrets__GatewayApiKey", gatewayApiKey)
    .WithEnvironment("Secrets__GatewaySigningKey", gatewaySigningKey)
    .WithEnvironment("Secrets__WebhookSecret", webhookSecret)
    .WithEnvironment("Secrets__PinEncryptionKey", builder.AddSecret("pin-encryption-key", Secrets.Key))
    .WithEnvironment("Secrets__HashKey", builder.AddSecret("hash-key", Secrets.Key))
    .WithReplicas(builder.Configuration.GetValue("AppHost:Replicas:receiver", 1))
    .WithPublicHttpEndpoint();

var backup = builder.AddService<Projects.SmsBridge_Backup>("backup", data)
    .WithReference(database).WithReference(backupReader).WithReference(cache)
    .WaitFor(receiver)
    .WithEnvironment("Secrets__BackupEncryptionKey", builder.AddSecret("backup-encryption-key", Secrets.Key))
    // The owner's connection, used only to restore (the admin's restore request); dumps use the read-only role.
    .WithEnvironment("ConnectionStrings__smsbridge-restore", migrations.Resource)
    .WithDataDirectory("Backup__Directory", "backups", data)
    .WithReplicas(builder.Configuration.GetValue("AppHost:Replicas:backup", 1));

builder.AddService<Projects.SmsBridge_Admin>("admin", data)
    .WithReference(database).WithReference(cache).WithReference(receiver).WithReference(backup)
    .WaitFor(receiver)
    .WithDataDirectory("Admin__DataDirectory", "admin", data)
    .WithEnvironment("Secrets__AdminPassword", builder.AddSecret("admin-password", Secrets.Password))
    .WithMonitoringEndpoints(receiver, builder)
    .WithReplicas(builder.Configuration.GetValue("AppHost:Replicas:admin", 1));

// Development only: the customer's backend and a gateway phone, so a local run verifies a user with a browser alone.
if (builder.WantsDevelopmentTools())
{
    var sampleBackend = builder.AddDevelopmentTool<Projects.SmsBridge_SampleBackend>(DevelopmentTools.SampleBackend, data)
        .WithReference(receiver).WaitFor(receiver)
        .WithEnvironment("Secrets__BackendApiKey", backendApiKey)
        .WithEnvironment("Secrets__WebhookSecret", webhookSecret);
    receiver.WithWebhooksTo(sampleBackend);
    builder.AddDevelopmentTool<Projects.SmsBridge_GatewaySimulator>(DevelopmentTools.GatewaySimulator, data)
        .WithReference(receiver).WithReference(sampleBackend).WaitFor(sampleBackend)
        .WithEnvironment("Secrets__GatewayApiKey", gatewayApiKey)
        .WithEnvironment("Secrets__GatewaySigningKey", gatewaySigningKey);
}

builder.Build().Run();
