using AutoencoderNotebooks.Platform;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Runtime;

/// <summary>The allocator setting the course runner restarts itself with (its effect is measured by the benchmark).</summary>
public class HeapTunableTests
{
    [Theory]
    [InlineData(null, NativeHeap.HeapTunable)]
    [InlineData("", NativeHeap.HeapTunable)]
    [InlineData("glibc.malloc.hugetlb=1", "glibc.malloc.hugetlb=1:" + NativeHeap.HeapTunable)] // the user's settings are kept
    public void The_setting_is_added_to_whatever_the_environment_already_asks_of_glibc(string? current, string expected) =>
        Assert.Equal(expected, NativeHeap.TunablesWithHeapSetting(current));

    [Theory]
    [InlineData(NativeHeap.HeapTunable)]                   // the restarted runner: no second restart
    [InlineData("glibc.malloc.tcache_count=7")]              // the user's own choice wins
    public void A_process_that_already_sets_the_cache_is_not_restarted(string current) =>
        Assert.Null(NativeHeap.TunablesWithHeapSetting(current));

    [LinuxFact]
    public void The_peak_resident_memory_covers_memory_touched_and_released()
    {
        var block = new byte[256 * 1024 * 1024];
        for (var i = 0; i < block.Length; i += 4096) block[i] = 1; // resident only once touched
        var whileHeld = NativeHeap.ResidentBytes()!.Value;
        GC.KeepAlive(block);
        Assert.True(NativeHeap.PeakResidentBytes() >= whileHeld, $"peak {NativeHeap.PeakResidentBytes()} < resident {whileHeld}");
        Assert.True(whileHeld > 256L * 1024 * 1024);
    }
}
