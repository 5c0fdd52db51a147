using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SmsBridge.Data.Outbox;

namespace SmsBridge.Receiver.Delivery;

/// <summary>Posts one signed webhook and classifies what happened; it never throws for anything the network or backend does.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSigner signer, IOptions<DeliveryOptions> options, TimeProvider time)
{
    public const string ClientName = "webhooks";

    public async Task<DeliveryAttempt> PostAsync(Uri target, string webhookId, object payload, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, JsonBody.Options);
        var timestamp = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signer.Sign(webhookId, timestamp, body));

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            return new DeliveryAttempt((int)response.StatusCode, Stopwatch.GetElapsedTime(started), null, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(null, Stopwatch.GetElapsedTime(started), "timeout", null);
        }
        catch (HttpRequestException ex)
        {
            var errorClass = ex.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "connection_error",
                HttpRequestError.NameResolutionError => "name_resolution",
                HttpRequestError.SecureConnectionError => "tls_error",
                _ => "network_error",
            };
            return new DeliveryAttempt(null, Stopwatch.GetElapsedTime(started), errorClass, null);
        }
    }

    /// <summary>2xx delivered; 408, 429, 5xx and network failures retried; any other status is final.</summary>
    public static DeliveryVerdict Judge(DeliveryAttempt attempt) => attempt.StatusCode switch
    {
        null => DeliveryVerdict.Retry,
        >= 200 and < 300 => DeliveryVerdict.Delivered,
        (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 => DeliveryVerdict.Retry,
        _ => DeliveryVerdict.DeadLetter,
    };
}
