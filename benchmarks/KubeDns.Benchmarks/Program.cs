using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using KubeDns.Benchmarks;

// dotnet run -c Release --project benchmarks/KubeDns.Benchmarks -- --filter '*'
// Any BenchmarkDotNet flag works; without --job the quick job below is used (see README.md).
var config = args.Any(arg => arg is "--job" or "-j") ? DefaultConfig.Instance : QuickConfig.Create();
BenchmarkSwitcher.FromAssembly(typeof(QuickConfig).Assembly).Run(args, config);
