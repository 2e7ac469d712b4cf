using KubeDns.ScaleBenchmark;
using KubeDns.ScaleBenchmark.Fake;
using KubeDns.ScaleBenchmark.Run;

// dotnet run -c Release --project benchmarks/KubeDns.ScaleBenchmark [-- --services 10000 --endpoints 150000 --pods 150000]
// ... -- --files [--server-program DIR/KubeDns.dll]: the same cluster from a folder of manifests (issue 14).
// See ../README.md. "serve-fake" is the fake API server child this program starts for itself.
var serveFake = args is ["serve-fake", ..];
if (args is ["--help" or "-h", ..])
{
    Console.WriteLine(ScaleOptions.Usage);
    return 0;
}

if (!ScaleOptions.TryParse(serveFake ? args[1..] : args, out var options, out var error))
{
    Console.Error.WriteLine($"{error}\n{ScaleOptions.Usage}");
    return 2;
}

return serveFake ? await FakeApiHost.RunAsync(options)
    : options.Files ? await KubeDns.ScaleBenchmark.Files.FilesRun.RunAsync(options)
    : await ScaleRun.RunAsync(options);
