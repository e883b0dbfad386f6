using AutoencoderNotebooks.Runtime;

namespace CourseRunner;

/// <summary>
/// The runner's view of its own memory (chapter 0): resident memory now and at its peak, and releasing what a
/// finished notebook held before the next one starts, so memory does not accumulate across the course.
/// Linux only (<c>/proc/self/status</c>); elsewhere the numbers are unknown. The process's own peak
/// (<c>VmHWM</c>) is never reset, so <c>/usr/bin/time -v</c> still reports the whole run's peak.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Peak resident memory of the whole process so far, in bytes; null where unknown.</summary>
    public static long? PeakBytes() => StatusField("VmHWM:");

    /// <summary>Current resident memory in bytes; null where unknown.</summary>
    public static long? ResidentBytes() => StatusField("VmRSS:");

    /// <summary>
    /// Frees what unreachable notebook state still holds: collects (tensor finalizers free native memory) and
    /// asks glibc to return free heap pages to the system.
    /// </summary>
    public static void Release()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        GC.Collect();
        NativeHeap.Trim();
    }

    private static long? StatusField(string field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return null;
    }
}

/// <summary>
/// Samples resident memory every <see cref="Interval"/> on a background thread while one notebook runs, and
/// keeps the highest value: that notebook's peak, without resetting the process's own peak counter.
/// </summary>
public sealed class PeakSampler : IDisposable
{
    /// <summary>How often resident memory is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly Timer timer;
    private long peak;
    private long windowPeak;

    /// <summary>Starts sampling.</summary>
    public PeakSampler()
    {
        Sample(null);
        timer = new Timer(Sample, null, Interval, Interval);
    }

    /// <summary>The highest resident memory seen so far, in bytes; null where unknown.</summary>
    public long? PeakBytes
    {
        get
        {
            Sample(null);
            var value = Interlocked.Read(ref peak);
            return value > 0 ? value : null;
        }
    }

    /// <summary>The highest resident memory since the previous call (e.g. during one cell), in bytes; null where unknown.</summary>
    public long? TakeWindowPeak()
    {
        Sample(null);
        var value = Interlocked.Exchange(ref windowPeak, 0);
        return value > 0 ? value : null;
    }

    /// <inheritdoc />
    public void Dispose() => timer.Dispose();

    private void Sample(object? state)
    {
        if (ProcessMemory.ResidentBytes() is not { } now) return;
        Raise(ref peak, now);
        Raise(ref windowPeak, now);
    }

    private static void Raise(ref long value, long now)
    {
        long seen;
        while (now > (seen = Interlocked.Read(ref value)) && Interlocked.CompareExchange(ref value, now, seen) != seen) { }
    }
}
