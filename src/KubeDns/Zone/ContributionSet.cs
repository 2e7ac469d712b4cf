namespace KubeDns.Zone;

/// <summary>Everything one cluster object contributes to the zone, by name.</summary>
internal sealed class ContributionSet
{
    public Dictionary<WireName, NameContribution> ByName { get; } = [];

    /// <summary>The contribution at a name, created empty (which makes the name exist) on first use.</summary>
    public NameContribution At(byte[] name)
    {
        var key = new WireName(name);
        if (!ByName.TryGetValue(key, out var contribution))
        {
            contribution = new NameContribution();
            ByName.Add(key, contribution);
        }

        return contribution;
    }
}
