using KubeDns.ProxyRules.Iptables;
using KubeDns.ProxyRules.Tests.Support;

namespace KubeDns.ProxyRules.Tests;

/// <summary>
/// <c>--iptables-layout auto</c> under <c>--apply</c>: the compact layout on either back end when the kernel takes
/// its bpf match (probed with a chain of ours, removed again), kube-proxy's with a warning when it does not.
/// </summary>
public sealed class AutoLayoutTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Apply_WritesTheCompactLayout_WhenTheKernelTakesTheBpfMatch(bool legacy)
    {
        using var node = new NetworkNamespace("autolayout");
        using var manifests = ManifestFolder.With(TrafficManifests.All());

        ProxyRulesProcess.Apply(node, "iptables", manifests.Path, legacy);

        var save = legacy ? "iptables-legacy-save" : "iptables-nft-save";
        var nat = node.Exec(save, "-t", "nat");
        Assert.DoesNotContain(":KUBE-SEP-", nat, StringComparison.Ordinal);
        Assert.Contains("-j DNAT --to-destination", nat, StringComparison.Ordinal);
        Assert.Contains("-m bpf --bytecode", nat, StringComparison.Ordinal);
        Assert.DoesNotContain("KUBEDNS-BPF-PROBE", node.Exec(save, "-t", "filter"), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FallsBackToKubeProxysLayout_WithAWarning_WhenTheKernelRefusesTheBpfMatch()
    {
        using var node = new NetworkNamespace("nobpf");
        using var manifests = ManifestFolder.With(TrafficManifests.All());
        var real = Commands.Must("sh", "-c", "command -v iptables-restore").Trim();
        var refusing = RefusingBpf($"printf '%s\\n' \"$program\" | exec {real} \"$@\"");
        var (code, output) = node.TryExec(["env", $"PATH={refusing}:{Environment.GetEnvironmentVariable("PATH")}", "dotnet", ProxyRulesProcess.Dll, .. ProxyRulesProcess.NodeFlags("iptables", manifests.Path), "--apply"]);
        Directory.Delete(refusing, recursive: true);

        Assert.True(code == 0, output);
        Assert.Contains("warning: the kernel did not take the compact layout's bpf match", output, StringComparison.Ordinal);
        Assert.Contains("Couldn't load match `bpf'", output, StringComparison.Ordinal);
        var nat = node.Exec("iptables-save", "-t", "nat");
        Assert.Contains("-j KUBE-SEP-", nat, StringComparison.Ordinal);
        Assert.DoesNotContain("-m bpf", nat, StringComparison.Ordinal);
    }

    [Fact]
    public void TheProbe_BlamesTheMatch_OnlyWhenAPlainRuleLoads()
    {
        // Neither fake touches the kernel: this probe runs in the test's own namespace.
        var refusingBpf = RefusingBpf("exit 0");
        var refusingAll = FakeRestore("echo 'Another app is currently holding the xtables lock.' >&2; exit 4");
        try
        {
            Assert.Contains("Couldn't load match `bpf'", BpfMatchProbe.WhyNot(Path.Combine(refusingBpf, "iptables"), ipv6: false), StringComparison.Ordinal);
            Assert.Null(BpfMatchProbe.WhyNot(Path.Combine(refusingAll, "iptables"), ipv6: false));
        }
        finally
        {
            Directory.Delete(refusingBpf, recursive: true);
            Directory.Delete(refusingAll, recursive: true);
        }
    }

    /// <summary>
    /// An <c>iptables-restore</c> that fails any program using the bpf match, as the real one does on a kernel
    /// without <c>xt_bpf</c>, and runs <paramref name="otherwise"/> for every other (its input in <c>$program</c>).
    /// </summary>
    private static string RefusingBpf(string otherwise) => FakeRestore($"""
        program=$(cat)
        case "$program" in
          *"-m bpf"*) echo "iptables-restore: Couldn't load match \`bpf':No such file or directory" >&2; exit 2 ;;
        esac
        {otherwise}
        """);

    /// <summary>A folder holding an <c>iptables-restore</c> shell script with <paramref name="body"/>.</summary>
    private static string FakeRestore(string body)
    {
        var folder = Directory.CreateTempSubdirectory("kdr-fake-restore-").FullName;
        var script = Path.Combine(folder, "iptables-restore");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        Commands.Must("chmod", "+x", script);
        return folder;
    }
}
