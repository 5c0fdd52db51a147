using Microsoft.AspNetCore.Mvc;
using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Pages;

public sealed class AuditModel(AuditSearch audit) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? EventType { get; set; }

    [BindProperty(SupportsGet = true, Name = "Actor")]
    public string? ActorName { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    public IReadOnlyList<AuditRow> Events { get; private set; } = [];

    DateTimeOffset? FromUtc => From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f, DateTimeKind.Utc)) : null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var to = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        Events = await audit.FindAsync(new AuditQuery(
            string.IsNullOrWhiteSpace(EventType) ? null : EventType.Trim(),
            string.IsNullOrWhiteSpace(ActorName) ? null : ActorName.Trim(),
            FromUtc, to, null, 200), cancellationToken);
    }
}
