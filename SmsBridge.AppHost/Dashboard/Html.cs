using System.Globalization;
using System.Text.Encodings.Web;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>The page frame every dashboard page shares, and encoding helpers: every value from outside is encoded.</summary>
internal static class Html
{
    public static readonly (string Path, string Title)[] Sections =
    [
        ("/", "Resources"), ("/console", "Console"), ("/traces", "Traces"), ("/logs", "Structured logs"), ("/metrics", "Metrics"),
    ];

    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Url(string? value) => UrlEncoder.Default.Encode(value ?? "");

    public static string Page(string title, string activePath, string main, bool live = false)
    {
        var nav = string.Concat(Sections.Select(s =>
            $"""<a href="{s.Path}"{(s.Path == activePath ? " class=\"active\"" : "")}>{s.Title}</a>"""));
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} · SMS Bridge dashboard</title>
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script src="/assets/dashboard.js" defer></script>
            </head>
            <body>
            <header><span class="brand">SMS Bridge</span><nav>{nav}</nav></header>
            <main id="main"{(live ? " data-live=\"true\"" : "")}>
            {main}
            </main>
            </body>
            </html>
            """;
    }

    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => $"{duration.TotalMicroseconds.ToString("0", CultureInfo.InvariantCulture)} µs",
        < 1000 => $"{duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms",
        < 60_000 => $"{duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s",
        _ => duration.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture).TrimStart('0', '.', ':'),
    };

    public static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Number(double value) => value switch
    {
        _ when Math.Abs(value) >= 1e9 => (value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " G",
        _ when Math.Abs(value) >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M",
        _ when Math.Abs(value) >= 1e4 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " k",
        _ when value == Math.Floor(value) => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };

    public static string Dropped(long dropped, int kept, int cap, string what) =>
        $"""<p class="window">{kept.ToString(CultureInfo.InvariantCulture)} {what} kept (cap {cap.ToString(CultureInfo.InvariantCulture)}, oldest dropped first) · <span class="dropped">{dropped.ToString(CultureInfo.InvariantCulture)} dropped</span></p>""";
}
