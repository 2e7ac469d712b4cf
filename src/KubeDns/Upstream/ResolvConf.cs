using System.Net;

namespace KubeDns.Upstream;

/// <summary>
/// The <c>nameserver</c> lines of a resolv.conf (resolv.conf(5)): the default upstreams, as CoreDNS's
/// <c>forward . /etc/resolv.conf</c> takes them. Port 53; other lines are ignored.
/// </summary>
internal static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    public static IReadOnlyList<IPEndPoint> Nameservers(string text)
    {
        var result = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#', ';')[0].Trim();
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..]
                && IPAddress.TryParse(address.Split('%')[0], out var ip)
                && !result.Exists(e => e.Address.Equals(ip)))
            {
                result.Add(new IPEndPoint(ip, 53));
            }
        }

        return result;
    }

    /// <summary>The nameservers of the file, or none when it cannot be read.</summary>
    public static IReadOnlyList<IPEndPoint> ReadNameservers(string path)
    {
        try
        {
            return Nameservers(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
