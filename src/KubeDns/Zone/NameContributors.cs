namespace KubeDns.Zone;

/// <summary>
/// The contributions at one name, by contributor. Almost every name has exactly one (a service's own names,
/// an endpoint's PTR), so the first is held inline and a list appears only with a second: at hundreds of
/// thousands of names a dictionary per name would cost more than the records.
/// </summary>
internal sealed class NameContributors
{
    private Contributor _first;
    private NameContribution? _firstValue;
    private List<KeyValuePair<Contributor, NameContribution>>? _more;

    public bool IsEmpty => _firstValue is null && (_more is null || _more.Count == 0);

    public void Set(Contributor contributor, NameContribution value)
    {
        if (_firstValue is null || _first == contributor)
        {
            _first = contributor;
            _firstValue = value;
            return;
        }

        _more ??= [];
        var index = _more.FindIndex(pair => pair.Key == contributor);
        if (index >= 0)
        {
            _more[index] = new(contributor, value);
        }
        else
        {
            _more.Add(new(contributor, value));
        }
    }

    public void Remove(Contributor contributor)
    {
        if (_firstValue is not null && _first == contributor)
        {
            _firstValue = null;
            if (_more is { Count: > 0 })
            {
                (_first, _firstValue) = (_more[0].Key, _more[0].Value);
                _more.RemoveAt(0);
            }

            return;
        }

        _more?.RemoveAll(pair => pair.Key == contributor);
    }

    /// <summary>The contributions, first contributor first.</summary>
    public IEnumerable<NameContribution> Values
    {
        get
        {
            if (_firstValue is not null)
            {
                yield return _firstValue;
            }

            if (_more is not null)
            {
                foreach (var pair in _more)
                {
                    yield return pair.Value;
                }
            }
        }
    }
}
