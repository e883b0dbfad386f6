using System.Runtime.InteropServices;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// Tunes glibc's heap for tensor workloads (chapter 0). By default glibc serves blocks above a moving threshold
/// with mmap, and every such block costs a fresh page fault per 4 KB page each time it is allocated again; it also
/// returns the top of the heap to the system whenever 128 KB there are free, to fault it back in on the next batch.
/// A convolutional training step allocates and frees tens of MB per batch, so both cost dearly: measured here with a
/// 4 MB mmap threshold the diffusion UNet trained at 341 images/s with 200,000 page faults per step, with the
/// settings below at 916 images/s with 22,000 (DCGAN 667 → 1,261). Blocks up to 32 MB therefore stay in the heap
/// and up to 64 MB of free memory at its top stay mapped (512 MB was 10% faster still, but keeps up to half a GB of
/// freed memory resident); <see cref="Trim"/> hands the free pages back after a training run and
/// between notebooks, so memory still falls when the work that needed it ends. A no-op off glibc.
/// </summary>
public static class NativeHeap
{
    /// <summary>Allocations of at least this many bytes are mmapped and returned to the system when freed.</summary>
    public const int MmapThreshold = 32 * 1024 * 1024;

    /// <summary>Free memory at the top of the heap beyond this many bytes is returned to the system by free().</summary>
    public const int TrimThreshold = 64 * 1024 * 1024;

    /// <summary>
    /// glibc's allocator setting every training process of the course runs under (Linux): no per-thread cache of small
    /// freed blocks. With the cache (glibc 2.36, Debian 12), the small blocks it holds sit between a training step's
    /// large freed blocks, so the heap cannot reuse them and grows ~35 MB per diffusion-UNet step until <see cref="Trim"/>
    /// trims it; measured without it (same process, four measurements each): UNet training 925 → 1,025 images/s through
    /// the course's loop, and the loop at 94–98% of the fixed-batch ceiling instead of 89–95%. glibc reads the setting
    /// only when a process starts, so the course runner and a chapter's app restart themselves with it
    /// (<see cref="TunablesToRestartWith"/>), and their children inherit it.
    /// </summary>
    public const string HeapTunable = "glibc.malloc.tcache_count=0";

    /// <summary>The environment variable glibc reads its tunables from.</summary>
    public const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>
    /// <paramref name="current"/> (a <c>GLIBC_TUNABLES</c> value) with <see cref="HeapTunable"/> added, or null when it
    /// already sets the cache's size (the user's choice, or this process's parent's).
    /// </summary>
    public static string? TunablesWithHeapSetting(string? current) =>
        current?.Contains("glibc.malloc.tcache_count", StringComparison.Ordinal) == true ? null
        : string.IsNullOrEmpty(current) ? HeapTunable
        : current + ":" + HeapTunable;

    /// <summary>On Linux, when this process does not run with <see cref="HeapTunable"/> yet: the tunables to start it again with; otherwise null (carry on).</summary>
    public static string? TunablesToRestartWith() =>
        OperatingSystem.IsLinux() ? TunablesWithHeapSetting(Environment.GetEnvironmentVariable(TunablesVariable)) : null;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD in malloc.h
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    private static int tuned;

    /// <summary>Fixes both thresholds once per process; returns false where glibc's mallopt is not available.</summary>
    public static bool Tune()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Interlocked.Exchange(ref tuned, 1) == 1) return true;
        try
        {
            return mallopt(MallocMmapThreshold, MmapThreshold) == 1 & mallopt(MallocTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl): its allocator returns large blocks anyway
        }
    }

    /// <summary>
    /// Returns the heap's free pages to the system (glibc's <c>malloc_trim</c>). glibc gives back only the top of
    /// the heap by itself; a training run leaves hundreds of MB of free pages below live data, which this releases.
    /// Called when a training run ends and between notebooks. A no-op off glibc.
    /// </summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to trim.
        }
    }

    /// <summary>
    /// Hands the heap's free pages back when resident memory has grown by more than <paramref name="growth"/> bytes
    /// since the last trim (or since <see cref="MarkResident"/>); returns true when it trimmed. The training loop,
    /// evaluation and sampling call it after every batch: blocks below the mmap threshold leave freed holes that the
    /// next batch's blocks cannot always reuse, and the heap grows around them. Measured here for the diffusion
    /// UNet, 60 training steps after loading Fashion-MNIST (535 MB): peak resident memory 2.8 GB in 8.8 s without
    /// trimming, 1.0 GB in 10.6 s trimming after every batch, 1.44 GB in 9.9 s with this limit of 768 MB; the
    /// check itself is one read of <c>/proc/self/statm</c>. A no-op off Linux.
    /// </summary>
    public static bool ReleaseIfGrown(long growth = GrowthLimit)
    {
        // Reading /proc costs tens of microseconds: a small model's batch takes about a millisecond, so look at
        // most every CheckInterval (memory cannot grow by hundreds of MB between two looks that close).
        var ticks = Environment.TickCount64;
        if (ticks - Interlocked.Read(ref lastCheck) < CheckInterval.TotalMilliseconds) return false;
        Interlocked.Exchange(ref lastCheck, ticks);
        if (!OperatingSystem.IsLinux() || ResidentBytes() is not { } now) return false;
        var mark = Interlocked.Read(ref residentMark);
        if (mark == 0 || now < mark) Interlocked.Exchange(ref residentMark, mark = now);
        if (now - mark <= growth) return false;
        Trim();
        Interlocked.Exchange(ref residentMark, ResidentBytes() ?? now);
        return true;
    }

    /// <summary>
    /// Starts a bulk operation (a training run, an evaluation, a sampling loop): returns the heap's free pages, then
    /// makes the resident memory the reference <see cref="ReleaseIfGrown"/> measures growth from. Without the trim
    /// each operation could keep up to the limit on top of what the previous one left (measured: three DDIM runs
    /// in a row ratcheted resident memory from 0.57 to 1.77 GB).
    /// </summary>
    public static void MarkResident()
    {
        Trim();
        Interlocked.Exchange(ref residentMark, ResidentBytes() ?? 0);
    }

    /// <summary>Growth of resident memory the training loop tolerates between trims.</summary>
    public const long GrowthLimit = 768L * 1024 * 1024;

    /// <summary>How often <see cref="ReleaseIfGrown"/> reads resident memory at most.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(20);

    private static long residentMark;
    private static long lastCheck;

    /// <summary>Resident memory from <c>/proc/self/statm</c>, in bytes; null off Linux.</summary>
    public static long? ResidentBytes()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize;
    }

    /// <summary>
    /// The process's highest resident memory so far (<c>VmHWM</c> in <c>/proc/self/status</c>), in bytes; null off
    /// Linux. What a file-based app reports as its chapter's peak, as the runner samples a kernel's.
    /// </summary>
    public static long? PeakResidentBytes()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        // "VmHWM:   123456 kB"
        return line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var kilobytes, "kB"] && long.TryParse(kilobytes, out var kb) ? kb * 1024 : null;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
