namespace KubeDns.ProxyRules.Iptables;

/// <summary>
/// An iptables match for "source address equals destination address" (xt_bpf, classic BPF over the IP header,
/// kernel 3.9+): a connection DNATed to the pod that opened it. kube-proxy finds those with a <c>-s ENDPOINT</c>
/// rule in each endpoint's chain; the compact layout has no such chains, and iptables has no other match that
/// compares two fields of one packet. Used in nat POSTROUTING, where the DNAT has rewritten the destination.
/// </summary>
internal static class HairpinMatch
{
    // Each instruction is "code jt jf k": 32 = ld word at k, 7 = tax (X = A), 29 = jeq X, 6 = ret k.
    // IPv4: source at byte 12, destination at 16.
    private const string IPv4 = "6,32 0 0 12,7 0 0 0,32 0 0 16,29 0 1 0,6 0 0 1,6 0 0 0";

    // IPv6: source at bytes 8..23, destination at 24..39, compared a word at a time; a mismatch jumps to ret 0.
    private const string IPv6 = "18,32 0 0 8,7 0 0 0,32 0 0 24,29 0 13 0,32 0 0 12,7 0 0 0,32 0 0 28,29 0 9 0,"
        + "32 0 0 16,7 0 0 0,32 0 0 32,29 0 5 0,32 0 0 20,7 0 0 0,32 0 0 36,29 0 1 0,6 0 0 1,6 0 0 0";

    /// <summary>The match, for the rule's family: DNATed connections whose source is their destination.</summary>
    public static string For(bool ipv6) => $"-m conntrack --ctstate DNAT -m bpf --bytecode \"{Bytecode(ipv6)}\"";

    /// <summary>The BPF program alone: true for a packet whose source address is its destination address.</summary>
    public static string Bytecode(bool ipv6) => ipv6 ? IPv6 : IPv4;
}
