using System.Globalization;

namespace KubeDns.ScaleBenchmark.Measure;

/// <summary>CPU time a process has used so far, user and system (<c>/proc/PID/stat</c>, in clock ticks of 10 ms).</summary>
internal readonly record struct ProcCpu(double UserSeconds, double SystemSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on Linux x86-64

    public double TotalSeconds => UserSeconds + SystemSeconds;

    public static ProcCpu Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcCpu(
            long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond,
            long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond);
    }

    public static ProcCpu operator -(ProcCpu later, ProcCpu earlier) =>
        new(later.UserSeconds - earlier.UserSeconds, later.SystemSeconds - earlier.SystemSeconds);
}
