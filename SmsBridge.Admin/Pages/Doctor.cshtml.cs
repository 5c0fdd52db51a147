using Microsoft.Extensions.Options;
using SmsBridge.Admin.Doctor;

namespace SmsBridge.Admin.Pages;

/// <summary>The doctor's checks, run when the page is opened.</summary>
public sealed class DoctorModel(DoctorService doctor, IOptions<DoctorOptions> options) : AdminPageModel
{
    public DoctorReport Report { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Report = await doctor.RunAsync(options.Value.PublicUrl, cancellationToken);
}
