namespace KubeDns.Cluster.Ingest;

/// <summary>The Kubernetes name rules that decide whether an object can have DNS names at all.</summary>
internal static class DnsNames
{
    /// <summary>
    /// A DNS-1123 label (namespaces): 1-63 of [a-z0-9-], starting and ending alphanumeric. With
    /// <paramref name="mustStartWithLetter"/> a DNS-1035 label (Service names), which cannot start with a digit.
    /// </summary>
    public static bool IsLabel(string? text, bool mustStartWithLetter)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 63 || text[^1] == '-' || text[0] == '-')
        {
            return false;
        }

        if (mustStartWithLetter && !char.IsAsciiLetterLower(text[0]))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A domain name an ExternalName may point at: at most 253 characters, labels of 1-63 printable ASCII.</summary>
    public static bool IsDomainName(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 253)
        {
            return false;
        }

        foreach (var label in text.Split('.'))
        {
            if (label.Length is 0 or > 63 || label.Any(c => c <= ' ' || c > '~'))
            {
                return false;
            }
        }

        return true;
    }
}
