using System.Globalization;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>
/// A process's memory as the kernel counts it (<c>/proc/PID/status</c>): what a container's memory limit and
/// <c>kubectl top</c> see, whatever the runtime thinks it holds.
/// </summary>
internal readonly record struct ProcMemory(long RssKb, long PeakRssKb, long RssAnonKb, long RssFileKb, long RssShmemKb)
{
    public double RssMiB => RssKb / 1024.0;

    public double PeakRssMiB => PeakRssKb / 1024.0;

    public double RssAnonMiB => RssAnonKb / 1024.0;

    public double RssFileMiB => RssFileKb / 1024.0;

    /// <summary>Shared memory: the runtime maps JIT'd code twice through it (W^X, on by default since .NET 7).</summary>
    public double RssShmemMiB => RssShmemKb / 1024.0;

    public static ProcMemory Read(int pid)
    {
        long rss = 0, hwm = 0, anon = 0, file = 0, shmem = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kb(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kb(line);
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kb(line);
            }
            else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
            {
                shmem = Kb(line);
            }
        }

        return new ProcMemory(rss, hwm, anon, file, shmem);
    }

    /// <summary>
    /// Resets the peak (VmHWM) to the current RSS (<c>echo 5 &gt; /proc/PID/clear_refs</c>, Linux 4.0+), so the
    /// next peak read is the peak of what happens from now on. False where the kernel refuses.
    /// </summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Kb(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
