using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Data;

/// <summary>Where a data set was found, and how (shown by chapter 0's environment check).</summary>
public sealed record DataOrigin(string Folder, string How);

/// <summary>
/// Finds a data set's IDX files, in order: an explicit folder, its environment variable, the repository's
/// <c>data/</c> folder, system folders (Debian's <c>dataset-fashion-mnist</c>), and finally a verified
/// download into <c>data/</c> (chapter 0).
/// </summary>
public static class DataLocator
{
    /// <summary>The bundled sample's folder under <c>data/</c>.</summary>
    public const string SampleFolder = "sample";

    /// <summary>The <see cref="DataOrigin.How"/> of the bundled sample.</summary>
    public const string SampleHow = "bundled sample";

    /// <summary>Finds the full data set, downloading it if allowed and nothing local has it.</summary>
    /// <exception cref="FileNotFoundException">Nothing found; the message lists every place tried and the fixes.</exception>
    public static DataOrigin Locate(DatasetSpec spec, string? folder = null, bool allowDownload = true,
        HttpClient? http = null, TextWriter? log = null)
    {
        var tried = new List<string>();
        if (folder is not null) return Require(spec, folder, "explicit folder");
        if (RepositoryPaths.FolderFromEnvironment(spec.EnvironmentVariable) is { } fromEnv)
            return Require(spec, fromEnv, spec.EnvironmentVariable);
        tried.Add($"{spec.EnvironmentVariable}: not set");

        var repoData = RepositoryDataFolder();
        var local = repoData is null ? null : Path.Combine(repoData, spec.FolderName);
        var candidates = new List<(string Folder, string How)>();
        if (local is not null) candidates.Add((local, "repository data/ folder"));
        candidates.AddRange(spec.SystemFolders.Select(f => (f, "system data set package")));
        foreach (var (candidate, how) in candidates)
        {
            var missing = Missing(spec, candidate);
            if (missing.Count == 0) return new DataOrigin(candidate, how);
            tried.Add($"{candidate}: missing {string.Join(", ", missing)}");
        }

        var cache = local ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autoencoder-notebooks", spec.FolderName);
        if (spec.DownloadBase is null || spec.Files.Any(f => f.ContentSha256.Length == 0))
            tried.Add($"download: no verified download address is kept for {spec.Name}");
        else if (!allowDownload)
            tried.Add("download: not allowed by the caller");
        else
        {
            try
            {
                Download(spec, cache, http, log ?? Console.Out);
                return new DataOrigin(cache, $"downloaded from {spec.DownloadBase}");
            }
            catch (DatasetDownloadException e)
            {
                tried.Add($"download into {cache}: {e.Message}");
            }
        }

        throw new FileNotFoundException(
            $"{spec.Name} was not found. Tried, in order:\n  - " + string.Join("\n  - ", tried) +
            $"\nFix: install the Debian/Ubuntu package (sudo apt-get install dataset-fashion-mnist), or put the four " +
            $".gz files in {local ?? cache}, or set {spec.EnvironmentVariable} to a folder that holds them.");
    }

    /// <summary>The bundled deterministic sample (<c>data/sample/&lt;name&gt;</c>), used by quick mode and tests.</summary>
    /// <exception cref="DirectoryNotFoundException">The repository's data folder cannot be found.</exception>
    public static DataOrigin Sample(DatasetSpec spec)
    {
        var repoData = RepositoryDataFolder() ?? throw new DirectoryNotFoundException(
            "The bundled data sample lives in the repository's data/sample folder, which was not found above " +
            $"{Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}. Run from inside the repository.");
        return Require(spec, Path.Combine(repoData, SampleFolder, spec.FolderName), SampleHow);
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="folder"/>, gzipped or not; null if absent.</summary>
    public static string? PathOf(string folder, DatasetFile file)
    {
        var gz = Path.Combine(folder, file.Name);
        if (File.Exists(gz)) return gz;
        var raw = Path.Combine(folder, Path.GetFileNameWithoutExtension(file.Name));
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>The repository's <c>data/</c> folder, or null outside a checkout.</summary>
    public static string? RepositoryDataFolder() =>
        RepositoryPaths.FindRoot() is { } root && Directory.Exists(Path.Combine(root, "data")) ? Path.Combine(root, "data") : null;

    private static DataOrigin Require(DatasetSpec spec, string folder, string how)
    {
        var missing = Missing(spec, folder);
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"{spec.Name}: {how} '{folder}' is missing {string.Join(", ", missing)}. " +
                $"Put the four IDX files (.gz or raw) there, or unset {spec.EnvironmentVariable} to search the default places.");
        return new DataOrigin(Path.GetFullPath(folder), how);
    }

    private static List<string> Missing(DatasetSpec spec, string folder) =>
        spec.Files.Where(f => PathOf(folder, f) is null).Select(f => f.Name).ToList();

    private static void Download(DatasetSpec spec, string folder, HttpClient? http, TextWriter log)
    {
        using var owned = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(10) } : null;
        var downloader = new DatasetDownloader(http ?? owned!, log);
        foreach (var file in spec.Files.Where(f => PathOf(folder, f) is null))
            downloader.DownloadAsync(new Uri(spec.DownloadBase!, file.Name), Path.Combine(folder, file.Name), file)
                .GetAwaiter().GetResult();
    }
}
