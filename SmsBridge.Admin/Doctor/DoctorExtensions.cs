using SmsBridge.Admin.Doctor;

namespace Microsoft.Extensions.Hosting;

public static class DoctorExtensions
{
    /// <summary>The services behind every doctor run: the CLI, <c>GET /admin/doctor</c>, the UI page and the periodic run for /metrics.</summary>
    public static IHostApplicationBuilder AddDoctor(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DoctorOptions>().BindConfiguration("Doctor");
        builder.Services.AddSingleton<DoctorMetrics>();
        builder.Services.AddSingleton<DoctorService>();
        builder.Services.AddSingleton<DoctorResults>();
        return builder;
    }

    /// <summary>Runs doctor every <see cref="DoctorOptions.Interval"/>, so <c>smsbridge_doctor_check_status</c> stays current.</summary>
    public static IHostApplicationBuilder AddDoctorSchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DoctorSchedule>();
        return builder;
    }
}
