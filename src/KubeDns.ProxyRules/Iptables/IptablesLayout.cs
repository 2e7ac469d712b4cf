namespace KubeDns.ProxyRules.Iptables;

/// <summary>How the iptables program is laid out (<c>--iptables-layout</c>).</summary>
internal enum IptablesLayout
{
    /// <summary>
    /// kube-proxy's own: a KUBE-SEP chain per endpoint (masquerade a hairpin, then DNAT). Printed programs, and
    /// applied ones where the kernel lacks xt_bpf; the legacy back end loads it in ~11 s at 10,000 services /
    /// 100,000 endpoints, the nf_tables back end in minutes.
    /// </summary>
    KubeProxy,

    /// <summary>
    /// No endpoint chains: the service chain DNATs itself and one rule in KUBE-POSTROUTING masquerades every
    /// hairpin (<see cref="HairpinMatch"/>). Applied by default: the nf_tables back end's restore looks chains up
    /// by name in a list that grows with them (110,000 chains at 10,000 services took minutes, 10,000 take
    /// seconds), and the legacy one's commit costs per rule (a third of them).
    /// </summary>
    Compact,
}
