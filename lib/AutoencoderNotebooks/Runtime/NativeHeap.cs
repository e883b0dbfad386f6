using System.Runtime.InteropServices;

namespace AutoencoderNotebooks.Runtime;

/// <summary>
/// Keeps glibc's heap from holding on to freed tensor memory (chapter 0). glibc serves allocations above a
/// threshold with mmap and returns them to the system on free, but it raises that threshold (up to 32 MB) every
/// time such a block is freed, so a notebook's large temporaries soon land in the heap, fragment it and stay
/// resident. Fixing the threshold at 4 MB keeps the small per-batch allocations on the fast heap (a lower one
/// made training 40% slower here) and gives every large block (a data set, an evaluation batch) back as soon as it
/// is freed; <see cref="Trim"/> returns the heap's free pages after a training run. A no-op off glibc.
/// </summary>
public static class NativeHeap
{
    /// <summary>Allocations of at least this many bytes are mmapped and returned to the system when freed.</summary>
    public const int MmapThreshold = 4 * 1024 * 1024;

    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    private static int tuned;

    /// <summary>Fixes the mmap threshold once per process; returns false where glibc's mallopt is not available.</summary>
    public static bool Tune()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Interlocked.Exchange(ref tuned, 1) == 1) return true;
        try
        {
            return mallopt(MallocMmapThreshold, MmapThreshold) == 1;
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
