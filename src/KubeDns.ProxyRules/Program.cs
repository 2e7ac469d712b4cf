using KubeDns.ProxyRules.Hosting;

// kubedns-proxy-rules: kube-proxy's iptables or nftables rules for the Services and EndpointSlices of a
// manifest folder or a cluster; printed, applied, or kept in sync (see ProxyRulesCommandLine.Usage).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ProxyRulesCommandLine.Usage);
    return 0;
}

ProxyRulesOptions options;
try
{
    options = ProxyRulesCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"kubedns-proxy-rules: {e.Message}\n{ProxyRulesCommandLine.Usage}");
    return 2;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
return await ProxyRulesRunner.RunAsync(options, Console.Out, stopping.Token);
