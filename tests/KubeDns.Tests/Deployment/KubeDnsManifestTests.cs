using KubeDns.Testing.FakeApi;
using k8s;
using k8s.Models;
using KubeDns.Cluster.Kubernetes;
using KubeDns.Hosting;
using KubeDns.Tests.Integration;

namespace KubeDns.Tests.Deployment;

/// <summary>
/// manifests/kubedns.yaml, read into KubernetesClient's models: the Deployment's arguments (with the
/// ConfigMap's settings) are accepted by the server's own parser, the ClusterRole grants exactly what the
/// informers read, and the probes, ports and Service agree with the server's defaults.
/// </summary>
public sealed class KubeDnsManifestTests
{
    private static readonly IReadOnlyList<object> Objects =
        ManifestObjects.LoadAll(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "manifests", "kubedns.yaml")));

    private static V1Deployment Deployment => Objects.OfType<V1Deployment>().Single();

    private static V1Container Container => Deployment.Spec.Template.Spec.Containers.Single();

    [Fact]
    public void Manifest_HasEveryPieceOfTheDeployment()
    {
        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"],
            Objects.Cast<IKubernetesObject>().Select(o => o.Kind).Order(StringComparer.Ordinal));
        Assert.All(Objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o.Kind is not ("ClusterRole" or "ClusterRoleBinding")),
            o => Assert.Equal("kube-system", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public void ContainerArguments_WithTheConfigMap_ParseInAPod()
    {
        var options = ParseContainerArguments();

        Assert.True(options.UseApi);
        Assert.Empty(options.Manifests);
        Assert.Equal("cluster.local", options.ClusterDomain);
        Assert.Equal(8080, options.HealthListen?.Port);
        Assert.Equal(8181, options.ReadyListen?.Port);
        Assert.Equal(9153, options.MetricsListen?.Port);
        Assert.Equal([53], options.Listen.Select(e => e.Port));
    }

    [Fact]
    public void ClusterRole_GrantsExactlyListAndWatchOnWhatTheInformersRead()
    {
        var options = ParseContainerArguments();
        var read = ResourceClients.For(withPods: options.Pods == PodsMode.Verified || options.Autopath)
            .Select(r => $"{r.Group}/{r.Resource}").Order(StringComparer.Ordinal).ToList();

        var rules = Objects.OfType<V1ClusterRole>().Single().Rules;
        var granted = rules.SelectMany(rule => rule.ApiGroups.SelectMany(g => rule.Resources.Select(r => $"{g}/{r}"))).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(read, granted);
        Assert.All(rules, rule => Assert.Equal(["list", "watch"], rule.Verbs.Order(StringComparer.Ordinal)));
        Assert.All(rules, rule => Assert.Null(rule.ResourceNames));

        var binding = Objects.OfType<V1ClusterRoleBinding>().Single();
        var account = Objects.OfType<V1ServiceAccount>().Single();
        Assert.Equal(Objects.OfType<V1ClusterRole>().Single().Metadata.Name, binding.RoleRef.Name);
        Assert.Equal(account.Metadata.Name, Assert.Single(binding.Subjects).Name);
        Assert.Equal(account.Metadata.Name, Deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Deployment_IsHardenedAndSpreadAsTheIssueAsks()
    {
        var pod = Deployment.Spec.Template.Spec;
        Assert.Equal(2, Deployment.Spec.Replicas);
        Assert.Equal("system-cluster-critical", pod.PriorityClassName);
        Assert.Equal("Default", pod.DnsPolicy);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("kubernetes.io/hostname", Assert.Single(pod.TopologySpreadConstraints).TopologyKey);

        var security = Container.SecurityContext;
        Assert.True(security.ReadOnlyRootFilesystem);
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.Equal(["NET_BIND_SERVICE"], security.Capabilities.Add);
        Assert.NotNull(Container.Resources.Requests["memory"]);
        Assert.NotNull(Container.Resources.Limits["memory"]);

        var budget = Objects.OfType<V1PodDisruptionBudget>().Single();
        Assert.Equal(Deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void Probes_PointAtTheServersEndpoints()
    {
        var options = ParseContainerArguments();

        Assert.Equal("/health", Container.LivenessProbe.HttpGet.Path);
        Assert.Equal(options.HealthListen!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("/ready", Container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(options.ReadyListen!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Container.ReadinessProbe.HttpGet.Port.Value);
        var grace = Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds;
        Assert.True(grace > (options.LameDuck + KubeDns.Transport.DnsListeners.DrainTimeout).TotalSeconds, "the kubelet must not kill the server during its graceful stop");
    }

    [Fact]
    public void Service_IsKubeDnsAtTheConventionalAddress_SelectingThePods()
    {
        var service = Objects.OfType<V1Service>().Single();

        Assert.Equal("kube-dns", service.Metadata.Name);
        Assert.Equal("10.96.0.10", service.Spec.ClusterIP);
        Assert.Equal("kube-dns", service.Metadata.Labels["k8s-app"]);
        Assert.Equal("true", service.Metadata.Labels["kubernetes.io/cluster-service"]);
        Assert.Equal(service.Spec.Selector, Deployment.Spec.Template.Metadata.Labels);
        Assert.Equal(
            ["53/TCP", "53/UDP", "9153/TCP"],
            service.Spec.Ports.Select(p => $"{p.Port}/{p.Protocol}").Order(StringComparer.Ordinal));
        Assert.Equal(
            service.Spec.Ports.Select(p => $"{p.TargetPort.Value}/{p.Protocol}").Order(StringComparer.Ordinal),
            Container.Ports.Select(p => $"{p.ContainerPort}/{p.Protocol}").Order(StringComparer.Ordinal));
    }

    /// <summary>The container's arguments as the server parses them in a pod, the ConfigMap mounted where the Deployment mounts it.</summary>
    private static ServerOptions ParseContainerArguments()
    {
        var mount = Container.VolumeMounts.Single(m => m.Name == "config");
        var configMapName = Deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "config").ConfigMap.Name;
        var configMap = Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == configMapName);
        var folder = Directory.CreateTempSubdirectory("kubedns-configmap-").FullName;
        try
        {
            foreach (var (key, value) in configMap.Data)
            {
                File.WriteAllText(Path.Combine(folder, key), value);
            }

            var args = Container.Args.Select(a => a.StartsWith(mount.MountPath + "/", StringComparison.Ordinal) ? Path.Combine(folder, a[(mount.MountPath.Length + 1)..]) : a).ToList();
            Assert.True(ServerCommandLine.TryParse(args, () => true, new Dictionary<string, string>(), out var options, out var error), error);
            return options;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
