using SmsBridge.Admin.Overview;

namespace SmsBridge.Admin.Pages;

public sealed class IndexModel(OverviewService overview) : AdminPageModel
{
    public SystemOverview View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await overview.GetAsync(cancellationToken);
}
