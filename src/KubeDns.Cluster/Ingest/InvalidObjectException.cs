namespace KubeDns.Cluster.Ingest;

/// <summary>An API object whose content cannot be used (a bad IP, a port out of range, a missing name).</summary>
public sealed class InvalidObjectException : Exception
{
    public InvalidObjectException()
    {
    }

    public InvalidObjectException(string message)
        : base(message)
    {
    }

    public InvalidObjectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
