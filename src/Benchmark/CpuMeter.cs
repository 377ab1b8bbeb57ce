using System.Diagnostics;
using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>CPU used over a window, in percent of one core (200% = two cores busy).</summary>
internal sealed record CpuUsage(double BenchmarkPercent, double? HostPercent, IReadOnlyList<(int Pid, double? Percent)> Servers);

/// <summary>
/// Samples CPU time of this process, of the whole host (/proc/stat) and of each server pid together
/// with its descendants (/proc/PID/stat utime+stime), e.g. PostgreSQL's postmaster and its backends.
/// </summary>
internal sealed class CpuMeter(IReadOnlyList<int> serverPids)
{
    // USER_HZ: the unit of /proc times; 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    public IReadOnlyList<int> ServerPids => serverPids;

    public Sample Take()
    {
        var tree = serverPids.Count > 0 ? ReadProcessTable() : null;
        using var self = Process.GetCurrentProcess();
        return new Sample(
            Stopwatch.GetTimestamp(),
            self.TotalProcessorTime,
            ReadHostBusyTicks(),
            serverPids.Select(pid => tree is null ? null : Subtree(tree, pid)).ToArray());
    }

    public CpuUsage Between(Sample start, Sample end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        if (seconds <= 0)
            return new CpuUsage(0, null, []);

        double? Percent(long? ticks) => ticks / TicksPerSecond / seconds * 100;

        var servers = new List<(int, double?)>();
        for (var i = 0; i < serverPids.Count; i++)
            servers.Add((serverPids[i], Percent(SubtreeDelta(start.Servers[i], end.Servers[i]))));
        return new CpuUsage(
            (end.Benchmark - start.Benchmark).TotalSeconds / seconds * 100,
            Percent(end.HostBusy - start.HostBusy),
            servers);
    }

    private static long? ReadHostBusyTicks()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...; busy = all but idle and iowait.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long busy = 0;
            for (var i = 1; i < Math.Min(fields.Length, 9); i++)
            {
                if (i is not 4 and not 5)
                    busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }

            return busy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>pid → (parent pid, utime+stime) for every process in /proc.</summary>
    private static Dictionary<int, (int Parent, long Ticks)>? ReadProcessTable()
    {
        if (!Directory.Exists("/proc"))
            return null;
        var table = new Dictionary<int, (int, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                // pid (comm) state ppid ... ; comm may contain spaces and parentheses, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(rest[1], CultureInfo.InvariantCulture);
                var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                table[pid] = (parent, ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended while we read it.
            }
        }

        return table;
    }

    /// <summary>CPU ticks of <paramref name="root"/> and each of its descendants, or null when it is gone.</summary>
    private static Dictionary<int, long>? Subtree(Dictionary<int, (int Parent, long Ticks)> table, int root)
    {
        if (!table.ContainsKey(root))
            return null;
        var subtree = new Dictionary<int, long>();
        foreach (var (pid, entry) in table)
        {
            for (var p = pid; ;)
            {
                if (p == root)
                {
                    subtree[pid] = entry.Ticks;
                    break;
                }

                if (p <= 1 || !table.TryGetValue(p, out var parent))
                    break;
                p = parent.Parent;
            }
        }

        return subtree;
    }

    /// <summary>
    /// Per-process deltas; a process that started in the window counts whole, one that ended in
    /// it is missed (fine for a silo and for PostgreSQL with pooled, long-lived backends).
    /// </summary>
    private static long? SubtreeDelta(Dictionary<int, long>? start, Dictionary<int, long>? end)
    {
        if (start is null || end is null)
            return null;
        long total = 0;
        foreach (var (pid, ticks) in end)
            total += Math.Max(0, ticks - start.GetValueOrDefault(pid));
        return total;
    }

    public sealed record Sample(long Timestamp, TimeSpan Benchmark, long? HostBusy, IReadOnlyList<Dictionary<int, long>?> Servers);
}
