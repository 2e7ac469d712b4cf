using KubeDns.Zone.Trie;

namespace KubeDns.Zone;

/// <summary>
/// Endpoint address → the names of the services that publish it (an endpoint's PTR is
/// <c>label.svc.ns.svc.zone</c>, one per service selecting it): what a reverse lookup of an endpoint needs,
/// the labels being in each service node (<see cref="EndpointNames"/>). The value is the service name's
/// array itself when one service has the address (nearly always), else an array of them, so an address
/// costs its trie entry and nothing more: ~65 B where its PTR zone name cost ~265 B (issue 14). Persistent
/// like the name map, and read without locks or allocation.
/// </summary>
internal sealed class EndpointAddressIndex
{
    private readonly HashTrieBuilder<AddressKey, object, AddressKey.Ops> _owners = new();

    public HashTrie<AddressKey, object, AddressKey.Ops> ToImmutable() => _owners.ToImmutable();

    /// <summary>Moves <paramref name="service"/> (its lower-case wire name) from the addresses it left to those it joined.</summary>
    public void Update(byte[] service, IReadOnlySet<AddressKey> before, IReadOnlySet<AddressKey> after)
    {
        foreach (var address in before)
        {
            if (!after.Contains(address))
            {
                Remove(address, service);
            }
        }

        foreach (var address in after)
        {
            if (!before.Contains(address))
            {
                Add(address, service);
            }
        }
    }

    /// <summary>The service names owning an address (none when <see cref="ServiceNames.Count"/> is 0), from a published index.</summary>
    public static ServiceNames Owners(HashTrie<AddressKey, object, AddressKey.Ops> index, AddressKey address) =>
        new(index.TryGetValue(address, out var owners) ? owners : null);

    /// <summary>An index value read as a list: one service name, or several.</summary>
    public readonly struct ServiceNames(object? owners)
    {
        public int Count => owners switch
        {
            null => 0,
            byte[][] several => several.Length,
            _ => 1,
        };

        public byte[] this[int index] => owners is byte[][] several ? several[index] : (byte[])owners!;
    }

    private void Add(AddressKey address, byte[] service)
    {
        if (!_owners.TryGetValue(address, out var existing))
        {
            _owners.Set(address, service);
            return;
        }

        byte[][] owners = existing is byte[][] several ? several : [(byte[])existing];
        _owners.Set(address, (byte[][])[.. owners, service]);
    }

    private void Remove(AddressKey address, byte[] service)
    {
        if (!_owners.TryGetValue(address, out var existing))
        {
            return;
        }

        if (existing is byte[] one)
        {
            if (one.AsSpan().SequenceEqual(service))
            {
                _owners.Remove(address);
            }

            return;
        }

        var owners = (byte[][])existing;
        var index = Array.FindIndex(owners, owner => owner.AsSpan().SequenceEqual(service));
        if (index < 0)
        {
            return;
        }

        byte[][] rest = [.. owners[..index], .. owners[(index + 1)..]];
        _owners.Set(address, rest.Length == 1 ? rest[0] : rest);
    }
}
