using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeDns.Hosting;

/// <summary>
/// Settings from outside the command line, for a ConfigMap: <c>KUBEDNS_*</c> environment variables and a
/// <c>--config</c> YAML file whose keys are the flag names without dashes. Each becomes the flag's tokens,
/// so it is validated by the same parsers, and an error names where the value came from. Precedence: the
/// command line, then the environment, then the file.
/// </summary>
internal static class SettingSources
{
    public const string EnvironmentPrefix = "KUBEDNS_";

    /// <summary>Flags that only the command line sets.</summary>
    private static readonly HashSet<string> CommandLineOnly = new(StringComparer.Ordinal) { "--config", "--help", "--version" };

    /// <summary>
    /// Appends to <paramref name="args"/> the settings of the environment and of the <c>--config</c> file for
    /// every flag the command line does not give; false with one error line when a setting is bad.
    /// </summary>
    public static bool TryAdd(
        List<string> args, ServerFlags flags, ParseResult commandLine, IReadOnlyDictionary<string, string> environment, [NotNullWhen(false)] out string? error)
    {
        var settable = flags.Command.Options.Where(o => !CommandLineOnly.Contains(o.Name)).ToList();
        var given = settable.Where(o => commandLine.GetResult(o) is OptionResult { Implicit: false }).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        var fromEnvironment = new List<(Option Option, string Source, string[] Values)>();
        foreach (var option in settable)
        {
            var variable = EnvironmentPrefix + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
            if (environment.TryGetValue(variable, out var value))
            {
                // Repeatable flags take a comma-separated list here (KUBEDNS_LISTEN=0.0.0.0:53,[::]:53).
                string[] values = option.Arity.MaximumNumberOfValues > 1 ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [value];
                fromEnvironment.Add((option, variable, values));
            }
        }

        var fromFile = new List<(Option Option, string Source, string[] Values)>();
        if (commandLine.GetValue(flags.Config) is { } path && !TryReadFile(path, settable, fromFile, out error))
        {
            return false;
        }

        foreach (var (option, source, values) in fromEnvironment.Concat(fromFile))
        {
            if (!given.Add(option.Name))
            {
                continue; // Set by a source that wins.
            }

            List<string> tokens = [.. values.SelectMany(v => new[] { option.Name, v })];
            if (option.Arity.MaximumNumberOfValues == 0 || (option.Arity.MinimumNumberOfValues == 0 && values is ["true"]))
            {
                tokens = [option.Name]; // A switch: "true" turns it on.
            }

            if (!TryCheck(flags, tokens, source, option, out error))
            {
                return false;
            }

            args.AddRange(tokens);
        }

        error = null;
        return true;
    }

    private static bool TryReadFile(string path, List<Option> settable, List<(Option, string, string[])> settings, [NotNullWhen(false)] out string? error)
    {
        error = null;
        YamlStream yaml = [];
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlException)
        {
            error = $"kubedns: --config {path}: {ex.Message.ReplaceLineEndings(" ")}";
            return false;
        }

        if (yaml.Documents.Count == 0)
        {
            return true;
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            error = $"kubedns: --config {path}: expected a mapping of settings (ttl: 30)";
            return false;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var option = settable.FirstOrDefault(o => o.Name == "--" + key);
            var source = $"--config {path}: {key} (line {keyNode.Start.Line})";
            if (option is null)
            {
                error = $"kubedns: --config {path}: unknown setting '{key}' (line {keyNode.Start.Line}); settings are the flag names without dashes: {string.Join(", ", settable.Select(o => o.Name.TrimStart('-')))}";
                return false;
            }

            string[]? values = valueNode switch
            {
                YamlScalarNode scalar => [scalar.Value ?? ""],
                YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode) => [.. sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? "")],
                _ => null,
            };
            if (values is null || values.Length == 0)
            {
                error = $"kubedns: {source}: expected a value or a list of values";
                return false;
            }

            settings.Add((option, source, values));
        }

        return true;
    }

    /// <summary>Parses one setting's tokens alone, so that a bad value is reported against its source.</summary>
    private static bool TryCheck(ServerFlags flags, List<string> tokens, string source, Option option, [NotNullWhen(false)] out string? error)
    {
        var result = flags.Parse(tokens);
        var problem = result.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult o && o.Option == option
            || e.SymbolResult is ArgumentResult { Parent: OptionResult p } && p.Option == option);
        if (problem is null && result.UnmatchedTokens.Count == 0)
        {
            error = null;
            return true;
        }

        var message = problem?.Message ?? $"unexpected value '{result.UnmatchedTokens[0]}'";
        error = $"kubedns: {source}: {message.ReplaceLineEndings(" ")}";
        return false;
    }
}
