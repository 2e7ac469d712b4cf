using System.Globalization;

namespace KubeDns.Tests.Integration;

/// <summary>One server process on the demo manifests, shared by the read-only integration tests.</summary>
public sealed class DemoServerFixture : IDisposable
{
    internal ServerProcess Server { get; } = ServerProcess.StartOnDemo();

    public string Port => Server.Port.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(nameof(DemoServerGroup))]
public sealed class DemoServerGroup : ICollectionFixture<DemoServerFixture>;
