using SmsBridge.Admin;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Doctor;

if (args is [CreateAdminCommand.Name, ..]) return await CreateAdminCommand.RunAsync(args, Console.In, Console.Out, Console.Error);
if (args is [DoctorCommand.Name, ..]) return await DoctorCommand.RunAsync(args, Console.Out, Console.Error);
if (args is ["--help" or "-h", ..])
{
    Console.WriteLine("SMS Bridge admin service: the operators' API (/admin/*) and web UI.\n\n" +
        "  dotnet SmsBridge.Admin.dll                 run the service (configured by environment, see README)\n" +
        "  dotnet SmsBridge.Admin.dll create-admin    create or reset an operator account (--help for details)\n" +
        "  dotnet SmsBridge.Admin.dll doctor          check the live installation and say what to fix (--help for details)");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(AdminRequiredSecrets.Settings);
builder.AddSmsBridgeData();
builder.AddCacheClient();
builder.AddAdminAuthentication();
builder.AddAdminFeatures();
builder.AddDoctor();
builder.AddDoctorSchedule();
builder.AddAdminUi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAdminUi();
app.MapAdminApi();
app.MapAdminUi();

await app.RunAsync();
return 0;
