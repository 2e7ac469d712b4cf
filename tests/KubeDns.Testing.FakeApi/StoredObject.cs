namespace KubeDns.Testing.FakeApi;

/// <summary>
/// One object as the fake etcd holds it: its list-item JSON (no kind/apiVersion, as items in a real list
/// response) and the fields lists and watches filter on. Immutable, so lists and events can share it.
/// </summary>
internal sealed record StoredObject(
    string Key,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    long ResourceVersion,
    string Uid,
    string CreationTimestamp,
    byte[] Json);

/// <summary>One entry of a kind's event history; <see cref="Previous"/> is the state a MODIFIED replaced.</summary>
internal sealed record StoredEvent(string Type, long ResourceVersion, StoredObject Object, StoredObject? Previous);

/// <summary>The watch event types as they are spelled on the wire.</summary>
internal static class EventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
}
