using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KubeDns.Testing.FakeApi;

/// <summary>
/// A Kubernetes API server for tests: Kestrel on 127.0.0.1, plain HTTP, speaking the real JSON wire
/// protocol (paged lists, newline-delimited watches with bookmarks and 410 Expired) for Services,
/// EndpointSlices, Namespaces and Pods, with faults a test can inject. State lives in this object, not
/// in Kestrel, so it survives <see cref="StopAsync"/> and <see cref="StartAsync"/> like etcd behind a
/// restarting API server. See README.md in this folder for how KubernetesClient reacts to each fault.
/// </summary>
public sealed partial class FakeApiServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly FakeApiServerOptions _options;
    private readonly TimeProvider _time;
    private readonly KindStore[] _stores;
    private readonly List<RecordedRequest> _requests = [];
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private TaskCompletionSource _changed = NewSignal();
    private WebApplication? _app;
    private ITimer? _bookmarkTimer;
    private long _resourceVersion = 100;
    private int _port;
    private int _disposed;

    private FakeApiServer(FakeApiServerOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _stores = [.. KindInfo.Every.Select(info => new KindStore(info))];
        SetBookmarkInterval(options.BookmarkInterval);
    }

    /// <summary>http://127.0.0.1:PORT/ — the same port across <see cref="StopAsync"/>/<see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>True while Kestrel is listening.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _app is not null;
            }
        }
    }

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<FakeApiServer> StartNewAsync(FakeApiServerOptions? options = null)
    {
        var server = new FakeApiServer(options ?? new FakeApiServerOptions());
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// Listens again after <see cref="StopAsync"/>, on the same port, with all objects, history and faults
    /// kept. Does nothing while running.
    /// </summary>
    public async Task StartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_app is not null)
            {
                return;
            }

            var app = Build(_port);
            await app.StartAsync();
            var address = new Uri(app.Urls.Single());
            lock (_gate)
            {
                _port = address.Port;
                _app = app;
            }

            Pulse();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops listening: open watches are cut off abruptly (as when an API server dies), then the port is
    /// closed, so new connections are refused until <see cref="StartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            WebApplication? app;
            lock (_gate)
            {
                app = _app;
                _app = null;
            }

            if (app is null)
            {
                return;
            }

            DropWatches();
            await app.StopAsync();
            await app.DisposeAsync();
            Pulse();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Writes a kubeconfig (cluster, user with a bearer token, context, all named "fake") and returns its path.</summary>
    public string WriteKubeconfig(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, Kubeconfig.Yaml(BaseAddress, _options.Token));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SetBookmarkInterval(null);
        await StopAsync();
        _lifecycle.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebApplication Build(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(FakeApiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(HandleAsync);
        return app;
    }

    private KindStore Store(ApiKind kind) => _stores[(int)kind];

    /// <summary>Wakes <see cref="WaitForAsync"/> callers: a request arrived, a watch opened or closed, state changed.</summary>
    private void Pulse()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _changed;
            _changed = NewSignal();
        }

        old.TrySetResult();
    }
}
