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

    /// <summary>The domains of the last <c>search</c> (or <c>domain</c>) line, without trailing dots.</summary>
    public static IReadOnlyList<string> SearchDomains(string text)
    {
        IReadOnlyList<string> result = [];
        foreach (var raw in text.Split('\n'))
        {
            var fields = raw.Split('#', ';')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["search" or "domain", .. var domains])
            {
                result = [.. domains.Select(d => d.TrimEnd('.')).Where(d => d.Length > 0)];
            }
        }

        return result;
    }

    /// <summary>The search domains of the file, or none when it cannot be read.</summary>
    public static IReadOnlyList<string> ReadSearchDomains(string path)
    {
        try
        {
            return SearchDomains(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
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

/// <summary>The node's search domains in lower-case wire form (each ends with the root label), for autopath.</summary>
internal sealed record NodeSearchDomains(byte[][] Domains);
