using KubeDns.Cluster.Manifests;
using KubeDns.Cluster.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace KubeDns.Cluster.Tests.Manifests;

/// <summary>The catalog's bound on a file's size: a file over it is an error and keeps its last good content.</summary>
public sealed class ManifestCatalogTests
{
    [Fact]
    public void AFileOverTheLimit_IsNotRead_AndKeepsItsLastGoodContent()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.20"));
        var catalog = new ManifestCatalog(NullLogger.Instance, maxFileBytes: 2000);
        Assert.True(catalog.Refresh([path], new HashSet<string>(), readAll: false));

        folder.Write("a.yaml", Manifest.Service("prod", "web", "10.96.1.21") + "\n# " + new string('x', 3000) + "\n");
        catalog.Refresh([path], new HashSet<string> { path }, readAll: false);

        Assert.Contains("more than the 2,000 a manifest file may hold: split it", catalog.Errors[path], StringComparison.Ordinal);
        var kept = Assert.Single(Assert.Single(catalog.Files).Value);
        Assert.Equal("10.96.1.20", Assert.IsType<KubeDns.Cluster.Model.ServiceInfo>(kept.Value).ClusterIPs[0].ToString());
    }
}
