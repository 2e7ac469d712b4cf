using KubeDns.Testing.FakeApi;
using System.Threading.Channels;
using k8s;

using KubeDns.Cluster.Kubernetes;

namespace KubeDns.Cluster.Tests.Kubernetes.FakeApi;

/// <summary>
/// Runs a KubernetesClient watch (<c>await foreach</c> over a <c>Watch...Async</c> stream) in the
/// background and records, in order, what the caller of that API sees: events, <c>onError</c> calls, and
/// how the stream ended (normally, or with which exception). Tests await the next observation.
/// </summary>
internal sealed class WatchRecorder<T> : IAsyncDisposable
{
    private readonly Channel<Observation> _seen = Channel.CreateUnbounded<Observation>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WatchRecorder(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open) =>
        _loop = Task.Run(() => RunAsync(open));

    /// <summary>Completes when the stream has ended (normally or not) and the end was recorded.</summary>
    public Task Completion => _loop;

    /// <summary>Starts watching; <paramref name="open"/> gets the onError callback and a cancellation token.</summary>
    public static WatchRecorder<T> Start(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open) =>
        new(open);

    /// <summary>The next observation, failing the test if none arrives in time (default 2 s).</summary>
    public async Task<Observation> NextAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(2));
        try
        {
            return await _seen.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The watch showed nothing within {(within ?? TimeSpan.FromSeconds(2)).TotalMilliseconds} ms.");
            throw;
        }
    }

    /// <summary>The next observation that is an event (skipping nothing else: anything else fails the test).</summary>
    public async Task<(WatchEventType Type, T Object)> NextEventAsync(TimeSpan? within = null)
    {
        var seen = await NextAsync(within);
        Assert.True(seen.IsEvent, $"Expected an event, saw {seen}.");
        return (seen.Type!.Value, seen.Object!);
    }

    /// <summary>True if something was observed within the time; for asserting that nothing arrives.</summary>
    public async Task<bool> AnythingWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _seen.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // A stuck stream must not hang the test run; the connection dies with the server.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open)
    {
        try
        {
            await foreach (var (type, item) in open(e => _seen.Writer.TryWrite(Observation.OnError(e)), _stop.Token))
            {
                _seen.Writer.TryWrite(Observation.Event(type, item));
            }

            _seen.Writer.TryWrite(Observation.Ended(null));
        }
        catch (Exception e)
        {
            _seen.Writer.TryWrite(Observation.Ended(e));
        }
    }

    /// <summary>One thing the watch's consumer saw.</summary>
    internal sealed record Observation(WatchEventType? Type, T? Object, Exception? Error, bool IsEnd, Exception? Thrown)
    {
        public bool IsEvent => Type is not null;

        public bool IsError => Error is not null;

        public static Observation Event(WatchEventType type, T item) => new(type, item, null, false, null);

        public static Observation OnError(Exception error) => new(null, default, error, false, null);

        public static Observation Ended(Exception? thrown) => new(null, default, null, true, thrown);

        public override string ToString() =>
            IsEvent ? $"event {Type}" : IsError ? $"onError({Error!.GetType().FullName}: {Error.Message})"
            : Thrown is null ? "normal end" : $"end by {Thrown.GetType().FullName}: {Thrown.Message}";
    }
}
