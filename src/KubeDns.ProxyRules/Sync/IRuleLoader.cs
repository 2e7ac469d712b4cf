namespace KubeDns.ProxyRules.Sync;

/// <summary>Loads a rule program into the kernel: <c>iptables-restore --noflush</c> or <c>nft -f -</c>.</summary>
internal interface IRuleLoader
{
    /// <summary>Loads <paramref name="program"/> atomically; on failure nothing of it is applied.</summary>
    Task<LoadResult> LoadAsync(string program, CancellationToken cancellationToken);

    /// <summary>
    /// The per-service chains (and nftables affinity sets) already in the kernel, left by an earlier run or by
    /// kube-proxy: a full sync deletes those no service wants any more. A kernel without our table lists nothing;
    /// when the listing itself fails the set is empty and the error says why (the sync then fails).
    /// </summary>
    Task<(IReadOnlySet<string> Owned, string? Error)> ListOwnedAsync(CancellationToken cancellationToken);

    /// <summary>Makes sure the built-in chains lead to ours (idempotent: a jump already there is not added twice).</summary>
    Task<LoadResult> EnsureEntryPointsAsync(CancellationToken cancellationToken);
}

internal sealed record LoadResult(bool Succeeded, string Error)
{
    public static LoadResult Ok { get; } = new(true, "");
}
