namespace KubeDns.ProxyRules.Tests.Support;

/// <summary>
/// A folder whose <c>iptables</c>, <c>iptables-save</c>, <c>iptables-restore</c> (and ip6tables') are the legacy
/// back end's, put first on PATH as <c>update-alternatives --set iptables iptables-legacy</c> would: the
/// program then runs on the legacy back end of this machine, whose default is nf_tables.
/// </summary>
internal static class LegacyIptables
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("kdr-legacy-iptables-").FullName;
        foreach (var tool in new[] { "iptables", "iptables-save", "iptables-restore", "ip6tables", "ip6tables-save", "ip6tables-restore" })
        {
            var legacy = tool.Replace("tables", "tables-legacy", StringComparison.Ordinal);
            File.CreateSymbolicLink(Path.Combine(folder, tool), Commands.Must("sh", "-c", "command -v " + legacy).Trim());
        }

        return folder;
    });

    /// <summary>The <c>env PATH=...</c> prefix for a command that is to find the legacy tools first.</summary>
    public static string[] Env => ["env", $"PATH={Folder.Value}:{Environment.GetEnvironmentVariable("PATH")}"];
}
