using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace KubeDns.Hosting;

/// <summary>
/// The server's command line: flags to <see cref="ServerOptions"/>, or one error line naming the flag.
/// Parsing is pure (no files read, nothing started), so tests call it directly.
/// </summary>
internal static class ServerCommandLine
{
    /// <summary>Exit code for a bad command line.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with the error line.</summary>
    public static ServerOptions Parse(IReadOnlyList<string> args)
        => TryParse(args, out ServerOptions? options, out string? error) ? options : throw new ArgumentException(error, nameof(args));

    /// <summary>
    /// Parses <paramref name="args"/> into validated options, or gives one line for stderr such as
    /// <c>kubedns: --listen: '127.0.0.1:99999' is not ADDR:PORT</c>. Check <see cref="TryWriteHelpOrVersion"/> first.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out ServerOptions? options, [NotNullWhen(false)] out string? error)
        => TryParse(args, k8s.KubernetesClientConfiguration.IsInCluster, ProcessEnvironment(), out options, out error);

    /// <summary>As <see cref="TryParse(IReadOnlyList{string}, Func{bool}, IReadOnlyDictionary{string, string}, out ServerOptions?, out string?)"/> with no environment.</summary>
    public static bool TryParse(IReadOnlyList<string> args, Func<bool> inCluster, [NotNullWhen(true)] out ServerOptions? options, [NotNullWhen(false)] out string? error)
        => TryParse(args, inCluster, new Dictionary<string, string>(), out options, out error);

    /// <param name="args">The command line.</param>
    /// <param name="inCluster">Whether a service account is mounted (a pod); tests decide it.</param>
    /// <param name="environment">The <c>KUBEDNS_*</c> variables (others are ignored); tests decide them.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="error">The error line.</param>
    public static bool TryParse(
        IReadOnlyList<string> args, Func<bool> inCluster, IReadOnlyDictionary<string, string> environment,
        [NotNullWhen(true)] out ServerOptions? options, [NotNullWhen(false)] out string? error)
    {
        var flags = new ServerFlags();
        ParseResult result = flags.Parse(args);
        options = null;
        if (result.Errors.Count > 0)
        {
            error = Describe(result);
            return false;
        }

        // Then the environment and the --config file fill in what the command line left out.
        var expanded = args.ToList();
        if (!SettingSources.TryAdd(expanded, flags, result, environment, out error))
        {
            return false;
        }

        if (expanded.Count > args.Count)
        {
            result = flags.Parse(expanded);
            if (result.Errors.Count > 0)
            {
                error = Describe(result);
                return false;
            }
        }

        string[] manifests = result.GetValue(flags.Manifests) ?? [];
        string? kubeconfig = result.GetValue(flags.Kubeconfig);

        // Never guess an API server: a kubeconfig, a pod's service account, or files, and say so when none.
        bool useApi = kubeconfig is not null || (manifests.Length == 0 && inCluster());
        if (!useApi && manifests.Length == 0)
        {
            error = "kubedns: no cluster state to serve: pass --kubeconfig PATH to watch an API server, run in a pod (its service account is used), or pass --manifests PATH to serve manifest files";
            return false;
        }

        if (result.GetValue(flags.Context) is not null && kubeconfig is null)
        {
            error = Line(flags.Context.Name, "needs --kubeconfig");
            return false;
        }

        string[] upstreams = result.GetValue(flags.Upstream) ?? [];
        options = new ServerOptions
        {
            Manifests = manifests,
            Kubeconfig = kubeconfig,
            KubeContext = result.GetValue(flags.Context),
            UseApi = useApi,
            // An absent flag reads as an empty array; only a given list restricts (an empty value fails parsing).
            Namespaces = result.GetValue(flags.Namespaces) is { Length: > 0 } namespaces ? namespaces.ToHashSet(StringComparer.Ordinal) : null,
            Labels = result.GetValue(flags.Labels),
            StartupTimeout = TimeSpan.FromSeconds(result.GetValue(flags.StartupTimeout)),
            Listen = result.GetValue(flags.Listen)!,
            ClusterDomain = result.GetValue(flags.ClusterDomain)!,
            Ttl = (uint)result.GetValue(flags.Ttl),
            Pods = ServerFlags.ToPodsMode(result.GetValue(flags.Pods)!),
            EndpointPodNames = result.GetValue(flags.EndpointPodNames),
            MaxUdpSize = result.GetValue(flags.MaxUdpSize),
            UdpSockets = result.GetValue(flags.UdpSockets),
            TcpIdleTimeout = TimeSpan.FromSeconds(result.GetValue(flags.TcpIdleTimeout)),
            MaxTcpConnections = result.GetValue(flags.MaxTcpConnections),
            Autopath = result.GetValue(flags.Autopath),
            Upstreams = upstreams is ["none"] ? [] : [.. upstreams.Select(u => OptionValues.TryParseUpstream(u, out var e) ? e : throw new InvalidOperationException(u))],
            UpstreamsFromResolvConf = upstreams.Length == 0,
            UpstreamTimeout = TimeSpan.FromMilliseconds(result.GetValue(flags.UpstreamTimeout)),
            MaxConcurrent = result.GetValue(flags.MaxConcurrent),
            CacheTtl = TimeSpan.FromSeconds(result.GetValue(flags.CacheTtl)),
            CacheSize = result.GetValue(flags.CacheSize),
            ServeStale = TimeSpan.FromSeconds(result.GetValue(flags.ServeStale)),
            Prefetch = result.GetValue(flags.Prefetch),
            HealthListen = ServerFlags.ToHttpEndPoint(result.GetValue(flags.HealthListen)!),
            ReadyListen = ServerFlags.ToHttpEndPoint(result.GetValue(flags.ReadyListen)!),
            MetricsListen = ServerFlags.ToHttpEndPoint(result.GetValue(flags.MetricsListen)!),
            LameDuck = TimeSpan.FromSeconds(result.GetValue(flags.LameDuck)),
            LogQueries = result.GetValue(flags.LogQueries),
            JsonLogs = result.GetValue(flags.LogFormat) == "json",
        };
        error = null;
        return true;
    }

    /// <summary>The process's <c>KUBEDNS_*</c> environment variables.</summary>
    private static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Key is string key && key.StartsWith(SettingSources.EnvironmentPrefix, StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    /// <summary>
    /// When <paramref name="args"/> ask for <c>--help</c> or <c>--version</c>, writes it to
    /// <paramref name="output"/> and returns true; the program then exits 0.
    /// </summary>
    public static bool TryWriteHelpOrVersion(IReadOnlyList<string> args, TextWriter output)
    {
        ParseResult result = new ServerFlags().Parse(args);
        bool informational = result.Action is HelpAction
            || (result.Errors.Count == 0 && result.Action is SynchronousCommandLineAction);
        if (informational)
        {
            result.Invoke(new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false });
        }

        return informational;
    }

    // One line for the first problem, preferring one that belongs to a flag: "--listen --ttl 3" is a bad
    // --listen value ('--ttl') more usefully than a stray '3'.
    private static string Describe(ParseResult result)
    {
        foreach (ParseError error in result.Errors)
        {
            if (error.SymbolResult is OptionResult option)
            {
                return Describe(option, error);
            }

            if (error.SymbolResult is ArgumentResult { Parent: OptionResult parent })
            {
                return Describe(parent, error);
            }
        }

        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                return Line(token, "unknown flag (see --help)");
            }

            string? flag = FlagBefore(result, token);
            return flag is null
                ? Line($"'{token}'", "unexpected argument; each value follows its flag (see --help)")
                : Line(flag, $"unexpected value '{token}' (give the flag once per value)");
        }

        return $"kubedns: {OneLine(result.Errors[0].Message)}";
    }

    private static string Describe(OptionResult option, ParseError error)
    {
        string name = option.Option.Name;
        int count = option.Tokens.Count;
        ArgumentArity arity = option.Option.Arity;
        if (count < arity.MinimumNumberOfValues)
        {
            return Line(name, "missing value");
        }

        if (count > arity.MaximumNumberOfValues)
        {
            return Line(name, "given more than once");
        }

        return Line(name, OneLine(error.Message)); // our value parsers' words, e.g. "'x' is not ADDR:PORT"
    }

    // The flag a stray value came after: "--ttl 1 2" or "--endpoint-pod-names=yes" (a switch takes only true
    // or false). The last occurrence is the stray one, as values are matched first to last.
    private static string? FlagBefore(ParseResult result, string value)
    {
        string? flag = null;
        string? current = null;
        foreach (Token token in result.Tokens)
        {
            if (token.Type == TokenType.Option)
            {
                current = token.Value;
            }
            else if (token.Value == value)
            {
                flag = current;
            }
        }

        return flag;
    }

    private static string Line(string flag, string message) => $"kubedns: {flag}: {message}";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
