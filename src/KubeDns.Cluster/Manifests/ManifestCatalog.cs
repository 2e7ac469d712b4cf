using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace KubeDns.Cluster.Manifests;

/// <summary>
/// The last good content of every manifest file, and each file's current error. A file that stops parsing
/// keeps contributing what it held before (a half-saved file must not make services vanish); a file that
/// never parsed contributes nothing. A file larger than <paramref name="maxFileBytes"/> is not read at all (an
/// error, its last good content kept): the text, its parse and its objects are each a multiple of its size.
/// Without <paramref name="keepEndpointPodNames"/> the endpoints' pod names are not kept.
/// Used by one thread at a time; <see cref="Errors"/> may be read by any.
/// </summary>
internal sealed class ManifestCatalog(ILogger logger, long maxFileBytes = ManifestCatalog.MaxFileBytes, bool keepEndpointPodNames = true)
{
    /// <summary>
    /// 128 MiB: 10,000 services with 150,000 endpoints in one file are about 60 MiB of YAML, so a real cluster
    /// fits; a runaway generator or a wrong file (a disk image, a log) does not reach memory.
    /// </summary>
    public const long MaxFileBytes = 128L << 20;

    private readonly SortedDictionary<string, Entry> _files = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, string> _errors = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Files in ordinal path order with the objects they contribute.</summary>
    public IEnumerable<KeyValuePair<string, IReadOnlyList<ManifestObject>>> Files =>
        _files.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Objects));

    /// <summary>Current errors by full file path ("line 12: reason").</summary>
    public ImmutableSortedDictionary<string, string> Errors => Volatile.Read(ref _errors);

    /// <summary>
    /// Brings the catalog up to date with <paramref name="present"/>, the files that exist now. New files are
    /// read, vanished files dropped, and a known file is read again when it was named in <paramref name="touched"/>,
    /// when its size or time changed, or when <paramref name="readAll"/> is set. Returns true when the objects of
    /// any file may have changed.
    /// </summary>
    public bool Refresh(IReadOnlyList<string> present, IReadOnlySet<string> touched, bool readAll)
    {
        var changed = false;
        var presentSet = new HashSet<string>(present, StringComparer.Ordinal);
        foreach (var gone in _files.Keys.Where(path => !presentSet.Contains(path)).ToList())
        {
            _files.Remove(gone);
            logger.FileRemoved(gone);
            changed = true;
        }

        foreach (var path in present)
        {
            var stamp = FileStamp.Of(path);
            var known = _files.TryGetValue(path, out var entry);
            if (known && !readAll && !touched.Contains(path) && entry!.Stamp == stamp)
            {
                continue;
            }

            changed |= Read(path, stamp, entry);
        }

        PublishErrors();
        return changed;
    }

    private bool Read(string path, FileStamp stamp, Entry? previous)
    {
        ManifestParseResult result;
        try
        {
            using var file = Open(path);
            if (file.Length > maxFileBytes)
            {
                return Fail(path, stamp, previous, new ManifestError(0, $"the file is {file.Length:N0} bytes, more than the {maxFileBytes:N0} a manifest file may hold: split it"));
            }

            using var reader = new StreamReader(file);
            result = ManifestParser.Parse(reader, () => new StreamReader(Open(path)), Admission(previous?.Objects));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted between listing and reading; the next listing drops it.
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(path, stamp, previous, new ManifestError(0, "cannot read the file: " + ex.Message));
        }
#pragma warning disable CA1031 // A parser bug on one file must not stop the files after it from loading.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail(path, stamp, previous, new ManifestError(0, "cannot be parsed: " + ex.Message));
        }

        if (result.Error is { } error)
        {
            return Fail(path, stamp, previous, error);
        }

        foreach (var ignored in result.Ignored)
        {
            logger.IgnoredKind(path, ignored.Line, ignored.ApiVersion, ignored.Kind);
        }

        if (previous?.Error is not null)
        {
            logger.FileRecovered(path);
        }

        _files[path] = new Entry(stamp, result.Objects, null, Parsed: true);
        return true;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>
    /// What each object read goes through (<see cref="ManifestCollector"/>): without pod names unless they are
    /// kept, and replaced by the instance the file held before when equal to it. Nothing downstream changes for
    /// an equal object, so the zone keeps the earlier one: keeping the new one would hold a second copy of every
    /// unchanged object once a file is rewritten (12 MiB at 10,000 services after a full rewrite, issue 14).
    /// </summary>
    private Func<ManifestObject, ManifestObject>? Admission(IReadOnlyList<ManifestObject>? previous)
    {
        if (keepEndpointPodNames && previous is not { Count: > 0 })
        {
            return null;
        }

        var before = new Dictionary<StateKey, object>(previous?.Count ?? 0);
        foreach (var item in previous ?? [])
        {
            before.TryAdd(item.StateKey, item.Value);
        }

        return item =>
        {
            if (!keepEndpointPodNames && item.Value is Model.EndpointSliceInfo slice)
            {
                item = item with { Value = slice.WithoutPodNames() };
            }

            return before.TryGetValue(item.StateKey, out var earlier) && !ReferenceEquals(earlier, item.Value) && earlier.Equals(item.Value)
                ? item with { Value = earlier }
                : item;
        };
    }

    private bool Fail(string path, FileStamp stamp, Entry? previous, ManifestError error)
    {
        logger.FileInvalid(path, error.Line, error.Reason, previous?.Parsed == true ? "keeping its last good content" : "the file contributes nothing");
        _files[path] = new Entry(stamp, previous?.Objects ?? [], error, previous?.Parsed ?? false);
        return false;
    }

    private void PublishErrors()
    {
        var errors = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (path, entry) in _files)
        {
            if (entry.Error is { } error)
            {
                errors[path] = error.ToString();
            }
        }

        Volatile.Write(ref _errors, errors.ToImmutable());
    }

    /// <param name="Parsed">Whether the file ever parsed, i.e. whether <paramref name="Objects"/> is last good content.</param>
    private sealed record Entry(FileStamp Stamp, IReadOnlyList<ManifestObject> Objects, ManifestError? Error, bool Parsed);
}
