using System.Collections.Concurrent;
using KubeDns.Resolution;
using Microsoft.Extensions.Logging;

namespace KubeDns.Transport;

/// <summary>
/// Reports a query handler that threw. The handler must not throw; if it does, the query gets no answer and
/// the server keeps serving. Each exception type is logged once, so a bad query repeated at line rate cannot
/// flood the log. Every failure is counted (<c>coredns_panics_total</c>, when metrics are on).
/// </summary>
internal sealed class HandlerFailures(ILogger logger, Action? count = null)
{
    private readonly ConcurrentDictionary<Type, byte> _logged = new();

    public void Report(Exception exception, DnsTransport transport)
    {
        count?.Invoke();
        if (_logged.TryAdd(exception.GetType(), 0))
        {
            Log.HandlerFailed(logger, ListenSockets.Name(transport), exception.GetType().Name, exception);
        }
    }
}
