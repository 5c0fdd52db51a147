using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// A browser's side of the admin service without a browser: its own cookie jar, no redirects followed, and the login form
/// posted with its antiforgery token, as the page sends it. A signed-in session reaches the API and the pages by its cookie.
/// </summary>
public sealed partial class AdminSession : IDisposable
{
    private AdminSession(DistributedApplication app) =>
        Client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = app.HttpEndpoint("admin"),
        };

    public HttpClient Client { get; }

    public static AdminSession Anonymous(DistributedApplication app) => new(app);

    public static async Task<AdminSession> SignedInAsync(DistributedApplication app, string username, string password)
    {
        var session = new AdminSession(app);
        using var response = await session.PostLoginAsync(await session.LoginTokenAsync(), username, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}");
        return session;
    }

    /// <summary>The login page's antiforgery token (its cookie lands in this session's jar).</summary>
    public async Task<string> LoginTokenAsync()
    {
        var page = await Client.GetStringAsync(new Uri("/login", UriKind.Relative));
        return AntiforgeryField().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("the login page has no antiforgery token");
    }

    public Task<HttpResponseMessage> PostLoginAsync(string token, string username, string password) =>
        Client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Username"] = username,
            ["Password"] = password,
        }));

    /// <summary>A client that signs every request with HTTP Basic, as scripts do.</summary>
    public static HttpClient Basic(DistributedApplication app, string username, string password) => new()
    {
        BaseAddress = app.HttpEndpoint("admin"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"))) },
    };

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
