namespace CourseRunner;

/// <summary>Where the course's folders are, found from the solution file.</summary>
public sealed record RepositoryLayout(string Root)
{
    /// <summary>The solution file that marks the repository root.</summary>
    public const string SolutionFile = "AutoencoderNotebooks.sln";

    /// <summary><c>notebooks/</c>.</summary>
    public string NotebooksFolder => Path.Combine(Root, "notebooks");

    /// <summary><c>artifacts/notebooks/</c>: executed notebooks with outputs.</summary>
    public string ArtifactsFolder => Path.Combine(Root, "artifacts", "notebooks");

    /// <summary>The chapter notebooks in course order (file names start with the chapter number).</summary>
    public IEnumerable<string> Notebooks() =>
        Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>Walks up from the working directory, then from this program's folder, to the solution file.</summary>
    public static RepositoryLayout Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return new RepositoryLayout(dir.FullName);
        }
        throw new DirectoryNotFoundException($"Cannot find {SolutionFile} above {Directory.GetCurrentDirectory()}; run from inside the repository.");
    }
}
