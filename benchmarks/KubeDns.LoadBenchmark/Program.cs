using System.Diagnostics;
using System.Globalization;
using KubeDns.LoadBenchmark;

// dotnet run -c Release --project benchmarks/KubeDns.LoadBenchmark [-- OPTIONS]; see ../README.md.
if (args is ["--help" or "-h", ..])
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

if (!LoadOptions.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine($"{error}\n{LoadOptions.Usage}");
    return 2;
}

foreach (var tool in new[] { "dnsperf", "knotd" })
{
    if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
    {
        Console.Error.WriteLine($"{tool} is not installed: apt-get install dnsperf knot");
        return 2;
    }
}

var folder = Directory.CreateTempSubdirectory("kubedns-load-").FullName;
try
{
    return LoadRun.Run(options, folder);
}
finally
{
    Directory.Delete(folder, recursive: true);
}
