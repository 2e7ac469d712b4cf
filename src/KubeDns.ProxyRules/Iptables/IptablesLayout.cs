namespace KubeDns.ProxyRules.Iptables;

/// <summary>How the iptables program is laid out (<c>--iptables-layout</c>).</summary>
internal enum IptablesLayout
{
    /// <summary>
    /// kube-proxy's own: a KUBE-SEP chain per endpoint (masquerade a hairpin, then DNAT). What the legacy
    /// back end loads quickly (8.7 s at 10,000 services / 100,000 endpoints).
    /// </summary>
    KubeProxy,

    /// <summary>
    /// No endpoint chains: the service chain DNATs itself and one rule in KUBE-POSTROUTING masquerades every
    /// hairpin (<see cref="HairpinMatch"/>). For the nf_tables back end, whose restore looks chains up by name in
    /// a list that grows with them: 110,000 chains at 10,000 services took minutes, 10,000 take seconds.
    /// </summary>
    Compact,
}
