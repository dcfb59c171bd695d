using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OmniChannel.Messaging.AspNetCore.Tests.Webhooks;

public sealed class HandlerLifetimeTests
{
    [Fact]
    public async Task SingletonHandlersOnly_EveryWebhookHandledByTheSameInstances()
    {
        var counting = new CountingHandler();
        await using var host = await WebhookHost.StartAsync(configureBuilder: b =>
        {
            b.Services.RemoveAll<IInboundMessageHandler>();
            b.Services.AddSingleton<IInboundMessageHandler>(counting);
            b.Services.AddSingleton<IInboundMessageHandler>(sp => new RecordingHandler(sp.GetRequiredService<Recorder>()));
        });

        for (var i = 0; i < 3; i++)
        {
            await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", $"hello {i}", webhookUrl: host.Url("twilio/messages"));
        }

        await host.Recorder.WaitForAsync<InboundMessage>(3);
        Assert.Equal(3, counting.Handled);
        Assert.Equal(["hello 0", "hello 1", "hello 2"], host.Recorder.Of<InboundMessage>().Select(m => m.Body));
    }

    [Fact]
    public async Task ScopedHandlerBesideASingleton_FreshScopedInstancePerWebhook()
    {
        var counting = new CountingHandler();
        var created = 0;
        await using var host = await WebhookHost.StartAsync(configureBuilder: b =>
        {
            b.Services.AddSingleton<IInboundMessageHandler>(counting);
            b.Services.AddScoped<IInboundMessageHandler>(_ =>
            {
                Interlocked.Increment(ref created);
                return new CountingHandler();
            });
        });

        for (var i = 0; i < 3; i++)
        {
            await host.Twilio.DeliverInboundMessageAsync("+14155550111", "+14155550100", $"hello {i}", webhookUrl: host.Url("twilio/messages"));
        }

        await host.Recorder.WaitForAsync<InboundMessage>(3);
        await WaitUntilAsync(() => counting.Handled == 3);
        Assert.Equal(3, Volatile.Read(ref created));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition() && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        Assert.True(condition());
    }

    private sealed class CountingHandler : IInboundMessageHandler
    {
        private int handled;

        public int Handled => Volatile.Read(ref handled);

        public Task HandleAsync(InboundMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        }
    }
}
