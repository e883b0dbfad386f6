using System.Runtime.InteropServices;

namespace AutoencoderNotebooks.Runtime;

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

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
