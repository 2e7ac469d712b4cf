using KubeDns.Resolution;
using KubeDns.Transport;
using Microsoft.Extensions.Logging;

namespace KubeDns.Tests.Transport;

public sealed class HandlerFailuresTests
{
    [Fact]
    public void Report_CountsEveryFailure_LogsEachTypeOnce()
    {
        var logger = new CountingLogger();
        var counted = 0;
        var failures = new HandlerFailures(logger, () => counted++);

        failures.Report(new InvalidOperationException("a"), DnsTransport.Udp);
        failures.Report(new InvalidOperationException("b"), DnsTransport.Tcp);
        failures.Report(new FormatException("c"), DnsTransport.Udp);

        Assert.Equal(3, counted);
        Assert.Equal(2, logger.Errors);
    }

    private sealed class CountingLogger : ILogger
    {
        public int Errors { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error)
            {
                Errors++;
            }
        }
    }
}
