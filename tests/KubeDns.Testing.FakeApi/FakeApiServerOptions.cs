namespace KubeDns.Testing.FakeApi;

/// <summary>Settings of a <see cref="FakeApiServer"/>; the defaults suit most tests.</summary>
public sealed class FakeApiServerOptions
{
    /// <summary>The bearer token the kubeconfig carries and the server requires (401 otherwise).</summary>
    public string Token { get; init; } = "fake-token";

    /// <summary>The user named in 403 messages.</summary>
    public string User { get; init; } = "system:serviceaccount:kube-system:kubedns";

    /// <summary>
    /// How often watches that asked for bookmarks get one; null (the default) sends them only on
    /// <see cref="FakeApiServer.SendBookmark"/>. Real servers send one about every minute.
    /// </summary>
    public TimeSpan? BookmarkInterval { get; init; }

    /// <summary>
    /// How long before a watch's <c>timeoutSeconds</c> deadline it gets a last bookmark (if it asked for
    /// bookmarks and its timeout is longer than this). The real watch cache uses 2 s; null turns it off.
    /// </summary>
    public TimeSpan? BookmarkBeforeDeadline { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Drives bookmark intervals, watch <c>timeoutSeconds</c> and timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
