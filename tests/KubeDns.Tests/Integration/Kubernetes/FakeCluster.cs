using System.Globalization;
using KubeDns.Testing.FakeApi;

namespace KubeDns.Tests.Integration.Kubernetes;

/// <summary>
/// A fake Kubernetes API server and the kubeconfig that points at it, for running the real server process
/// against. The kubeconfig stays valid across <see cref="FakeApiServer.StopAsync"/>/<see cref="FakeApiServer.StartAsync"/>
/// (the same port), so a test can take the API away and bring it back.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly string _folder;

    private FakeCluster(FakeApiServer api, string folder)
    {
        Api = api;
        _folder = folder;
        Kubeconfig = api.WriteKubeconfig(folder);
    }

    public FakeApiServer Api { get; }

    public string Kubeconfig { get; }

    public static async Task<FakeCluster> StartAsync() =>
        new(await FakeApiServer.StartNewAsync(), Directory.CreateTempSubdirectory("kubedns-api-").FullName);

    /// <summary>
    /// Starts the server watching this API and waits until it answers. Start-up waits for every kind's first
    /// list, at most <paramref name="startupTimeout"/> seconds: with the API up it returns as soon as that is
    /// done (the long limit only spares a loaded machine a flaky SERVFAIL); with the API down, pass 1.
    /// </summary>
    public ServerProcess StartServer(int startupTimeout = 10, params string[] extra) => StartServer(null, startupTimeout, extra);

    /// <param name="program">A published server to run instead of the build beside the tests.</param>
    public ServerProcess StartServer(string? program, int startupTimeout = 10, params string[] extra) =>
        ServerProcess.Start(["--kubeconfig", Kubeconfig, "--startup-timeout", startupTimeout.ToString(CultureInfo.InvariantCulture), .. extra], program: program);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
