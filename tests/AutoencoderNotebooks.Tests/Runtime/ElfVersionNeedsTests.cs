using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Tests.Runtime;

public class ElfVersionNeedsTests
{
    private static string PackageFolder() => Path.Combine(LibTorchSharpNativeFix.NuGetPackageRoot(), "torchsharp", "0.107.0");

    private static string PackagedLibrary() => Path.Combine(PackageFolder(), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The library as shipped: the build patches the cache's copy, so take it from the .nupkg.</summary>
    private static string OriginalLibrary(TempFolder temp)
    {
        var path = temp.File("libLibTorchSharp.so");
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(PackageFolder(), "torchsharp.0.107.0.nupkg"));
        System.IO.Compression.ZipFileExtensions.ExtractToFile(package.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!, path);
        return path;
    }

    [Fact]
    public void Reads_the_libstdcxx_requirements_of_LibTorchSharp()
    {
        var needs = ElfVersionNeeds.Read(PackagedLibrary());
        Assert.Contains(needs, n => n.Library == "libstdc++.so.6" && n.Version == LibTorchSharpNativeFix.MissingVersion);
        Assert.Contains(needs, n => n.Library.StartsWith("libc.so") && n.Version.StartsWith("GLIBC_"));
    }

    [Fact]
    public void MarkWeak_sets_the_flag_on_that_version_only_and_is_idempotent()
    {
        using var temp = new TempFolder();
        var copy = OriginalLibrary(temp);
        var before = ElfVersionNeeds.Read(copy);

        var changed = ElfVersionNeeds.MarkWeak(copy, LibTorchSharpNativeFix.MissingVersion);

        var after = ElfVersionNeeds.Read(copy);
        Assert.True(changed >= 1);
        Assert.All(after.Where(n => n.Version == LibTorchSharpNativeFix.MissingVersion), n => Assert.True(n.IsWeak));
        Assert.Equal(before.Where(n => n.Version != LibTorchSharpNativeFix.MissingVersion).Select(n => n.IsWeak),
                     after.Where(n => n.Version != LibTorchSharpNativeFix.MissingVersion).Select(n => n.IsWeak));
        Assert.Equal(0, ElfVersionNeeds.MarkWeak(copy, LibTorchSharpNativeFix.MissingVersion));
        Assert.Equal(new FileInfo(PackagedLibrary()).Length, new FileInfo(copy).Length);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Rejects_a_file_that_is_not_ELF_and_names_it()
    {
        using var temp = new TempFolder();
        var path = temp.File("not-elf.so");
        File.WriteAllText(path, "definitely not an ELF file, but long enough to have a header of sixty-four bytes...");
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void Rejects_a_truncated_ELF_file()
    {
        using var temp = new TempFolder();
        var path = temp.File("cut.so");
        File.WriteAllBytes(path, File.ReadAllBytes(PackagedLibrary())[..4096]);
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Patch_reports_one_line_naming_the_file()
    {
        using var temp = new TempFolder();
        var copy = OriginalLibrary(temp);
        var log = new StringWriter();

        var changed = LibTorchSharpNativeFix.Patch([copy, temp.File("missing.so")], log);

        Assert.Equal([copy], changed);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(copy, line);
        Assert.Contains(LibTorchSharpNativeFix.MissingVersion, line);
        Assert.Empty(LibTorchSharpNativeFix.Patch([copy], log = new StringWriter()));
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void Patch_explains_what_to_run_when_the_file_cannot_be_written()
    {
        using var temp = new TempFolder();
        // Root ignores permission bits, so make the write fail another way: the name is so long (250 of the
        // 255 bytes a name may have) that no temporary file can be created beside it.
        var copy = temp.File(new string('x', 247) + ".so");
        File.Move(OriginalLibrary(temp), copy);

        var error = Assert.Throws<InvalidOperationException>(() => LibTorchSharpNativeFix.Patch([copy], TextWriter.Null));

        Assert.Contains(copy, error.Message);
        Assert.Contains("chmod u+w", error.Message);
        Assert.False(ElfVersionNeeds.Read(copy).Single(n => n.Version == LibTorchSharpNativeFix.MissingVersion).IsWeak);
    }

    [Fact]
    public void Patch_reports_and_skips_a_candidate_that_is_not_ELF_and_still_fixes_the_others()
    {
        using var temp = new TempFolder();
        var notElf = temp.File("libLibTorchSharp-text.so");
        File.WriteAllText(notElf, "not a shared library");
        var copy = OriginalLibrary(temp);
        var log = new StringWriter();

        var changed = LibTorchSharpNativeFix.Patch([notElf, copy], log);

        Assert.Equal([copy], changed);
        Assert.True(ElfVersionNeeds.Read(copy).Single(n => n.Version == LibTorchSharpNativeFix.MissingVersion).IsWeak);
        Assert.Contains(log.ToString().Split('\n'), line => line.Contains("skipped") && line.Contains(notElf));
        Assert.Equal("not a shared library", File.ReadAllText(notElf));
    }

    [LinuxFact]
    public void Patch_leaves_a_read_only_copy_alone_and_says_which_file_to_make_writable()
    {
        if (OperatingSystem.IsWindows()) return; // LinuxFact skips it there; the analyser wants the guard
        using var temp = new TempFolder();
        var copy = OriginalLibrary(temp);
        var before = File.ReadAllBytes(copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<InvalidOperationException>(() => LibTorchSharpNativeFix.Patch([copy], TextWriter.Null));
        Assert.Contains("read-only", error.Message);
        Assert.Contains($"chmod u+w \"{copy}\"", error.Message);
        Assert.Equal(before, File.ReadAllBytes(copy)); // root could have replaced it: the course did not
    }

    [LinuxFact]
    public void Patch_reports_a_copy_this_process_does_not_load_instead_of_failing()
    {
        if (OperatingSystem.IsWindows()) return; // LinuxFact skips it there; the analyser wants the guard
        using var temp = new TempFolder();
        var copy = OriginalLibrary(temp);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead);
        var log = new StringWriter();

        Assert.Empty(LibTorchSharpNativeFix.Patch([copy], log, needed: _ => false)); // a read-only shared NuGet cache
        Assert.Contains($"{copy} still requires {LibTorchSharpNativeFix.MissingVersion}", log.ToString());
        Assert.Contains("notebook front end", log.ToString());
    }

    [Fact]
    public async Task A_version_chain_that_points_back_is_an_error_not_a_loop()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(OriginalLibrary(temp));
        // Find .gnu.version_r, claim more entries than exist and point the last entry back at the first.
        var (table, entrySize, count) = (BitConverter.ToInt64(bytes, 0x28), BitConverter.ToUInt16(bytes, 0x3A), BitConverter.ToUInt16(bytes, 0x3C));
        var header = Enumerable.Range(0, count).Select(i => (int)table + i * entrySize).Single(h => BitConverter.ToUInt32(bytes, h + 4) == 0x6ffffffe);
        var first = (int)BitConverter.ToInt64(bytes, header + 24);
        var last = first;
        while (BitConverter.ToUInt32(bytes, last + 12) is var next and > 0) last += (int)next;
        BitConverter.GetBytes((uint)(first - last)).CopyTo(bytes, last + 12); // a negative step, as a uint
        BitConverter.GetBytes(1000u).CopyTo(bytes, header + 44);             // more entries than the section holds
        var path = temp.File("looping.so");
        File.WriteAllBytes(path, bytes);

        var reading = Task.Run(() => Record.Exception(() => ElfVersionNeeds.Read(path)));
        Assert.Same(reading, await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(10)))); // else: still walking the chain
        var error = Assert.IsType<InvalidDataException>(await reading);
        Assert.Contains("corrupt ELF version chain", error.Message);
    }
}
