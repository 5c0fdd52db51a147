using SmsBridge.Backup.CommandLine;
using SmsBridge.Backup.Configuration;

// `smsbridge-backup backup now | list | verify | restore | prune | decrypt` runs one command; no command runs the worker service.
if (BackupCommandLine.IsCommand(args)) return await BackupCommandLine.InvokeAsync(args);

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(BackupRequiredSecrets.Settings);
builder.AddSmsBridgeData();
builder.AddCacheClient();
builder.AddBackupWorker();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
return 0;
