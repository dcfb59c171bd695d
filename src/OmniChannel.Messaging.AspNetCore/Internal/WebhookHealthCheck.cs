using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OmniChannel.Messaging.AspNetCore.Internal;

/// <summary>Reports the webhook pipeline: unhealthy when the worker (or the outbox pump) is not running or the queue is full, degraded above 80 %.</summary>
internal sealed class WebhookHealthCheck(WebhookQueue queue, WebhookWorker worker, WebhookOutboxPump pump) : IHealthCheck
{
    public const string Name = "omnichannel-webhooks";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var depth = queue.Depth;
        var data = new Dictionary<string, object>
        {
            ["queueDepth"] = depth,
            ["queueCapacity"] = queue.Capacity,
            ["workerRunning"] = worker.IsRunning,
            ["outbox"] = pump.Outbox is not null,
            ["outboxPumpRunning"] = pump.IsRunning,
        };
        HealthCheckResult result;
        if (!worker.IsRunning)
        {
            result = HealthCheckResult.Unhealthy("The webhook worker is not running.", data: data);
        }
        else if (!pump.IsRunning)
        {
            result = HealthCheckResult.Unhealthy("The webhook outbox pump is not running; stored webhooks are not being claimed.", data: data);
        }
        else if (depth >= queue.Capacity)
        {
            result = HealthCheckResult.Unhealthy("The webhook queue is full; Twilio is being asked to retry.", data: data);
        }
        else if (depth * 5L >= queue.Capacity * 4L)
        {
            result = HealthCheckResult.Degraded("The webhook queue is over 80% full.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy("The webhook worker is running.", data: data);
        }

        return Task.FromResult(result);
    }
}
