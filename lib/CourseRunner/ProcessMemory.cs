using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>
/// The runner's view of its own memory (chapter 0): resident memory now, and releasing what a finished notebook
/// held (the tests run several notebooks in one process). Linux only; elsewhere the numbers are unknown.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Current resident memory in bytes; null where unknown.</summary>
    public static long? ResidentBytes() => NativeHeap.ResidentBytes();

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
