using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using SmsBridge.Receiver;

namespace SmsBridge.Tests.Receiver;

/// <summary>
/// The mapping to 503: a cancellation nobody asked for (StackExchange.Redis cancels what is in flight when it drops a dead
/// socket) is an unavailable dependency, not a 500; a caller who hung up is not answered at all.
/// </summary>
public sealed class DependencyUnavailableFilterTests
{
    private static readonly DependencyUnavailableFilter Filter = new(NullLogger<DependencyUnavailableFilter>.Instance);

    [Fact]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_503_with_retry_after()
    {
        var context = new DefaultEndpointFilterInvocationContext(new DefaultHttpContext());
        var result = await Filter.InvokeAsync(context, _ => throw new TaskCanceledException("dropped with the dead socket"));
        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", problem.ProblemDetails.Extensions["code"]);
    }

    [Fact]
    public async Task A_caller_who_hung_up_gets_no_answer()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var context = new DefaultEndpointFilterInvocationContext(new DefaultHttpContext { RequestAborted = aborted.Token });
        await Assert.ThrowsAsync<TaskCanceledException>(async () =>
            await Filter.InvokeAsync(context, _ => throw new TaskCanceledException()));
    }
}
