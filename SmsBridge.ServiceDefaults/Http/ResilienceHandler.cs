using Polly;

namespace SmsBridge.ServiceDefaults.Http;

/// <summary>Runs each request through the client's resilience pipeline; a disabled pipeline passes through.</summary>
internal sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage>? pipeline) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (pipeline is null) return base.SendAsync(request, cancellationToken);
        return pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendCore(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).AsTask();
    }

    private Task<HttpResponseMessage> SendCore(HttpRequestMessage request, CancellationToken token) => base.SendAsync(request, token);
}
