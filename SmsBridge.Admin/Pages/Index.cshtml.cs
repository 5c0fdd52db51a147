using SmsBridge.Admin.Dashboard;

namespace SmsBridge.Admin.Pages;

public sealed class IndexModel(DashboardService dashboard) : AdminPageModel
{
    public DashboardView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await dashboard.GetAsync(cancellationToken);
}
