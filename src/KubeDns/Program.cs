using KubeDns.Hosting;

// kubedns: parse the flags (exit 2 with one line on a bad one), then run the host until SIGTERM.
if (ServerCommandLine.TryWriteHelpOrVersion(args, Console.Out))
{
    return 0;
}

if (!ServerCommandLine.TryParse(args, out ServerOptions? options, out string? error))
{
    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
    return ServerCommandLine.UsageExitCode;
}

return await ServerHost.RunAsync(options, Console.Error).ConfigureAwait(false);
