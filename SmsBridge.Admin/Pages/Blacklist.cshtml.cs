using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Blacklist;
using SmsBridge.Data.Blacklist;

namespace SmsBridge.Admin.Pages;

public sealed class BlacklistModel(BlacklistService blacklist) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    public IReadOnlyList<BlacklistEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Entries = await blacklist.ListAsync(Search, 500, cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? mobileNumber, string? reason, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await blacklist.AddAsync(mobileNumber, reason, Actor, cancellationToken), $"{mobileNumber?.Trim()} is blacklisted.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? mobileNumber, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await blacklist.RemoveAsync(mobileNumber, Actor, cancellationToken), $"{mobileNumber} is no longer blacklisted.");
    }
}
