using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace SmsBridge.Admin.Doctor;

/// <summary><c>GET /admin/doctor</c>: every check run now, against the configured public URL (none given by the caller).</summary>
public static class DoctorApi
{
    public static RouteGroupBuilder MapDoctorApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/doctor", RunAsync).WithTags("Doctor").WithSummary("Run the housekeeping checks and report pass / warn / fail.");
        return admin;
    }

    private static async Task<Ok<DoctorReport>> RunAsync(DoctorService doctor, IOptions<DoctorOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await doctor.RunAsync(options.Value.PublicUrl, ct));
}
