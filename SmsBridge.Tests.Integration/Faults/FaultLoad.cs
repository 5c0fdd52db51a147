using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Load that keeps going while something breaks: every request is bounded (10 s, so a hang fails the test), every
/// answer is recorded, and a failed step abandons its flow instead of failing the test. The tests then check
/// that every promise made (a 202, a 200) was kept.
/// </summary>
public sealed class FaultLoad(VerificationFlow flow)
{
    public static readonly TimeSpan RequestLimit = TimeSpan.FromSeconds(10);

    public ConcurrentQueue<(string Operation, int Status)> Answers { get; } = new();

    /// <summary>Requests that got no answer at all: (operation, exception type).</summary>
    public ConcurrentQueue<(string Operation, string Error)> NoAnswer { get; } = new();

    /// <summary>SMS answered 202: the inbox promised to process them.</summary>
    public ConcurrentBag<Guid> Accepted { get; } = [];

    /// <summary>Mobiles whose PIN setup answered 200: the hand-off was committed.</summary>
    public ConcurrentBag<string> HandedOff { get; } = [];

    /// <summary>Runs <paramref name="workers"/> loops of <paramref name="iteration"/> until <paramref name="stop"/> is cancelled.</summary>
    public static Task RunAsync(int workers, CancellationToken stop, Func<CancellationToken, Task> iteration) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await iteration(stop);
        })));

    /// <summary>register → receive → (outcome) → pin-setup, each step recorded; stops at the first step that is not a success.</summary>
    public async Task OnboardAsync(string mobile, bool waitForOutcome)
    {
        if (await RegisterAsync(mobile) is not { } code) return;
        if (await ReceiveAsync(mobile, "ONBOARD:" + code) is not { } id) return;
        if (waitForOutcome && !await VerifiedWithinAsync(id, TimeSpan.FromSeconds(15))) return;
        await PinSetupAsync(mobile, code);
    }

    public async Task<string?> RegisterAsync(string mobile)
    {
        using var response = await SendAsync("register", () => flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile }));
        if (response?.StatusCode != HttpStatusCode.OK) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("hash").GetString();
    }

    public async Task<Guid?> ReceiveAsync(string mobile, string message)
    {
        using var response = await SendAsync("receive", () => flow.PostSmsAsync(mobile, message, DateTimeOffset.UtcNow));
        if (response?.StatusCode != HttpStatusCode.Accepted) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("message_id").GetGuid();
        Accepted.Add(id);
        return id;
    }

    public async Task PinSetupAsync(string mobile, string code)
    {
        using var response = await SendAsync("pin-setup", () => flow.PinSetupAsync(mobile, "2468", code));
        if (response?.StatusCode == HttpStatusCode.OK) HandedOff.Add(mobile);
    }

    private async Task<bool> VerifiedWithinAsync(Guid id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await flow.ScalarAsync<string>("SELECT outcome FROM sms_inbox WHERE id = $1", id) is { } outcome and not "pending")
                {
                    return outcome == "verified";
                }
            }
            catch (Npgsql.NpgsqlException)
            {
                // The database is what is broken right now; try again.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task<HttpResponseMessage?> SendAsync(string operation, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            var response = await send().WaitAsync(RequestLimit);
            Answers.Enqueue((operation, (int)response.StatusCode));
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            NoAnswer.Enqueue((operation, ex.GetType().Name));
            return null;
        }
    }

    /// <summary>Waits until every accepted SMS has a final outcome in PostgreSQL; returns how many have one.</summary>
    public async Task<long> WaitAllFinalAsync(TimeSpan limit)
    {
        var ids = Accepted.ToArray();
        long final = 0;
        await Eventually.TrueAsync(async () =>
        {
            final = await flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE id = ANY($1) AND outcome <> 'pending'", ids);
            return final == ids.Length;
        }, limit, $"all {ids.Length} accepted SMS reach a final outcome");
        return final;
    }
}
