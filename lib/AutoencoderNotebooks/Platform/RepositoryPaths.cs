namespace AutoencoderNotebooks.Platform;

/// <summary>
/// Finds the course repository (the folder holding <c>AutoencoderNotebooks.sln</c>) from the working
/// directory, this library's folder or the program's folder (chapter 0).
/// </summary>
public static class RepositoryPaths
{
    /// <summary>The solution file that marks the repository root.</summary>
    public const string SolutionFile = "AutoencoderNotebooks.sln";

    /// <summary>The repository root, or null when running outside a checkout.</summary>
    public static string? FindRoot()
    {
        var starts = new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(RepositoryPaths).Assembly.Location) ?? "", AppContext.BaseDirectory };
        foreach (var start in starts.Where(s => s.Length > 0))
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
        return null;
    }

    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">Not inside a checkout.</exception>
    public static string Root() => FindRoot() ?? throw new DirectoryNotFoundException(
        $"Cannot find {SolutionFile} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; run from inside the repository.");

    /// <summary>Environment variable that moves the artifacts folder (the tests point it at a temporary folder).</summary>
    public const string ArtifactsVariable = "AUTOENCODER_ARTIFACTS";

    /// <summary>
    /// Where generated files go (executed notebooks, saved models): <see cref="ArtifactsVariable"/> if set, else
    /// <c>artifacts/</c> in the repository, or a per-user cache folder outside a checkout.
    /// </summary>
    public static string Artifacts() =>
        FolderFromEnvironment(ArtifactsVariable) is { } chosen ? chosen
        : FindRoot() is { } root ? Path.Combine(root, "artifacts")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "autoencoder-notebooks");

    /// <summary>
    /// The folder environment variable <paramref name="variable"/> names, as a full path, or null when it is unset. A
    /// relative path is taken from the repository root (outside a checkout, from the working directory), so a cell
    /// (whose working directory is <c>notebooks/</c>), the runner and a test all resolve it to the same folder.
    /// </summary>
    public static string? FolderFromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? Path.GetFullPath(value, FindRoot() ?? Directory.GetCurrentDirectory())
            : null;
}
