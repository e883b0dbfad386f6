using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoencoderNotebooks.Platform;

/// <summary>
/// Makes TorchSharp's native bridge load on Linux hosts whose libstdc++ is older than GCC 13 (Debian 12,
/// Ubuntu 22.04). <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> only for
/// <c>std::ios_base_library_init()</c>, a link marker it never needs at run time; marking that one
/// requirement weak lets the loader accept the older library. Chapter 0 explains it; every entry point
/// (build, tests, notebook setup) calls <see cref="EnsureLoadable"/> before the first torch call.
/// </summary>
public static class LibTorchSharpNativeFix
{
    /// <summary>The symbol version that libstdc++ before GCC 13 lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const string NativeFile = "libLibTorchSharp.so";
    private const string MarkerSymbol = "_ZSt21ios_base_library_initv";
    private static readonly Lock Gate = new();
    private static bool done;

    /// <summary>
    /// True on Linux when the libstdc++ the loader would use does not define <see cref="MissingVersion"/>.
    /// </summary>
    public static bool HostNeedsFix()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (!NativeLibrary.TryLoad("libstdc++.so.6", out var handle)) return false;
        return !NativeLibrary.TryGetExport(handle, MarkerSymbol, out _);
    }

    /// <summary>
    /// Patches every copy of <c>libLibTorchSharp.so</c> this process could load, once per process, and
    /// writes one line to <paramref name="log"/> (default: standard error) when it changed a file.
    /// A no-op off Linux or where libstdc++ is new enough.
    /// </summary>
    /// <exception cref="InvalidOperationException">A copy needs the fix but cannot be written.</exception>
    public static void EnsureLoadable(TextWriter? log = null)
    {
        lock (Gate)
        {
            if (done) return;
            if (HostNeedsFix())
            {
                // A copy this process cannot load from (the NuGet cache, when the app has its own) must not stop it.
                var loadable = LoadedFrom().Select(f => Path.GetFullPath(Path.Combine(f, NativeFile))).ToHashSet();
                Patch(CandidateFiles(), log ?? Console.Error, loadable.Contains);
            }
            done = true;
        }
    }

    /// <summary>
    /// Marks the requirement weak in each existing file; returns the files it changed. A candidate that cannot
    /// be read or is not an ELF library is reported on <paramref name="log"/> and skipped; the others are still fixed.
    /// A file that is read-only (no write bit for its owner) is left alone, as is one whose folder cannot be written
    /// (the fix writes a new copy beside it and renames it into place).
    /// </summary>
    /// <param name="files">The copies to fix.</param>
    /// <param name="log">Where the one-line reports go.</param>
    /// <param name="needed">Which copies this process loads (default: all): one of those that cannot be fixed throws; another is reported.</param>
    /// <exception cref="InvalidOperationException">A needed file needs the fix but cannot be written (after the others were fixed).</exception>
    public static IReadOnlyList<string> Patch(IEnumerable<string> files, TextWriter log, Func<string, bool>? needed = null)
    {
        var changed = new List<string>();
        var unwritable = new List<(string File, string Why, string Fix, Exception? Error)>();
        foreach (var file in files.Where(File.Exists).Select(Path.GetFullPath).Distinct())
        {
            IReadOnlyList<ElfVersionNeeds.Requirement> requirements;
            try
            {
                requirements = ElfVersionNeeds.Read(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                log.WriteLine($"TorchSharp: skipped {file}: {e.Message}");
                continue;
            }
            if (requirements.All(r => r.Version != MissingVersion || r.IsWeak)) continue;
            var folder = Path.GetDirectoryName(file)!;
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserWrite) == 0)
            {
                unwritable.Add((file, "it is read-only, so the course leaves it alone", $"make it writable (chmod u+w \"{file}\")", null));
                continue;
            }
            try
            {
                if (ElfVersionNeeds.MarkWeak(file, MissingVersion) > 0) changed.Add(file);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                unwritable.Add((file, $"its folder {folder} takes no new file, and the fix writes a patched copy there before renaming it ({e.Message})",
                    $"make the folder writable (chmod u+w \"{folder}\")", e));
            }
        }
        if (changed.Count > 0)
            log.WriteLine($"TorchSharp: this host's libstdc++ lacks {MissingVersion}; marked that requirement weak in " +
                          string.Join(", ", changed) + ".");
        foreach (var (file, why, _, _) in unwritable.Where(u => needed?.Invoke(u.File) == false))
            log.WriteLine($"TorchSharp: {file} still requires {MissingVersion} ({why}); this process does not load it, but a notebook " +
                          "front end that loads TorchSharp from there will fail until it is fixed.");
        if (unwritable.FirstOrDefault(u => needed?.Invoke(u.File) != false) is { File: not null } failed)
            throw new InvalidOperationException(
                $"TorchSharp cannot load here: {failed.File} requires {MissingVersion}, which this host's libstdc++ lacks, and " +
                $"the file cannot be patched: {failed.Why}. Fix: {failed.Fix} and run again, or point NUGET_PACKAGES at a writable " +
                "folder and run 'dotnet restore', or install libstdc++ from GCC 13 or newer.", failed.Error);
        return changed;
    }

    /// <summary>The folders this process loads native libraries from: its own, the host's search directories and TorchSharp's.</summary>
    private static IEnumerable<string> LoadedFrom()
    {
        var folders = new List<string> { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") };
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            folders.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) is { Length: > 0 } dir)
        {
            folders.Add(dir);
            folders.Add(Path.Combine(dir, "runtimes", "linux-x64", "native"));
            folders.Add(Path.Combine(dir, "..", "..", "runtimes", "linux-x64", "native"));
        }
        return folders;
    }

    /// <summary>
    /// Every place this process may load <c>libLibTorchSharp.so</c> from: the host's native search
    /// directories, the folder of TorchSharp.dll (an app's bin or the NuGet package), and the NuGet cache.
    /// </summary>
    public static IEnumerable<string> CandidateFiles()
    {
        var folders = LoadedFrom().ToList();
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var version = torchSharp.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        if (version is not null)
            folders.Add(Path.Combine(NuGetPackageRoot(), "torchsharp", version, "runtimes", "linux-x64", "native"));
        return folders.Select(f => Path.Combine(f, NativeFile));
    }

    /// <summary>The NuGet global packages folder: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string NuGetPackageRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
