using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Hosting;

/// <summary>
/// Builds and runs the generic host. Whatever stops start-up (a bind error, a missing manifest path, a
/// missing registration) becomes one line on stderr and a non-zero exit code.
/// </summary>
internal static class ServerHost
{
    /// <summary>Exit code when the server fails to start or fails while running.</summary>
    public const int FailureExitCode = 1;

    /// <summary>
    /// The host builder: no appsettings files or file watchers, settings only from <paramref name="options"/>;
    /// log levels can still be set from the environment (<c>Logging__LogLevel__Default=Debug</c>).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(ServerOptions options)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "kubedns",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (options.JsonLogs)
        {
            // One JSON object per line, its message template's values as fields (for log collectors).
            builder.Logging.AddJsonConsole(console =>
            {
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        builder.Services.AddDnsServer(options);
        return builder;
    }

    /// <summary>
    /// Runs the server until SIGTERM/Ctrl+C or <paramref name="cancellationToken"/>. Returns 0 after a clean
    /// stop, <see cref="FailureExitCode"/> after writing one line to <paramref name="error"/>.
    /// </summary>
    /// <param name="configure">Extra registrations (tests add a query handler here).</param>
    public static async Task<int> RunAsync(ServerOptions options, TextWriter error, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        IHost host;
        try
        {
            HostApplicationBuilder builder = CreateBuilder(options);
            configure?.Invoke(builder.Services);
            host = builder.Build();
        }
#pragma warning disable CA1031 // Any start-up failure becomes the one line and the exit code.
        catch (Exception ex)
        {
            await error.WriteLineAsync(FailureLine("start-up failed", ex)).ConfigureAwait(false);
            return FailureExitCode;
        }

        bool started = false;
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            started = true;
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before start-up finished.
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync(FailureLine(started ? "stop failed" : "start-up failed", ex)).ConfigureAwait(false);
            await DisposeAsync(host).ConfigureAwait(false);
            return FailureExitCode;
        }
#pragma warning restore CA1031

        // .NET 10's host stops when a BackgroundService throws but still completes normally; report it.
        AggregateException? failure = FindBackgroundFailure(host);
        await DisposeAsync(host).ConfigureAwait(false);
        if (failure is not null)
        {
            await error.WriteLineAsync(FailureLine("stopped after a failure", failure)).ConfigureAwait(false);
            return FailureExitCode;
        }

        return 0;
    }

    /// <summary><c>kubedns: what: message</c> on one line, the message of the exception that matters.</summary>
    internal static string FailureLine(string what, Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } || exception is System.Reflection.TargetInvocationException { InnerException: not null })
        {
            exception = exception.InnerException!;
        }

        return $"kubedns: {what}: {exception.Message.ReplaceLineEndings(" ")}";
    }

    private static AggregateException? FindBackgroundFailure(IHost host)
    {
        foreach (IHostedService service in host.Services.GetServices<IHostedService>())
        {
            if (service is BackgroundService { ExecuteTask: { IsFaulted: true } task })
            {
                return task.Exception;
            }
        }

        return null;
    }

    private static async ValueTask DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }
}
