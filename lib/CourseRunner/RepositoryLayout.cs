using AutoencoderNotebooks.Platform;

namespace CourseRunner;

/// <summary>Where the course's folders are. (chapter 0)</summary>
public sealed record RepositoryLayout(string Root)
{
    /// <summary><c>notebooks/</c>.</summary>
    public string NotebooksFolder => Path.Combine(Root, "notebooks");

    /// <summary><c>artifacts/notebooks/</c> (see <see cref="RepositoryPaths.Artifacts"/>): executed notebooks with outputs.</summary>
    public string ArtifactsFolder => Path.Combine(RepositoryPaths.Artifacts(), "notebooks");

    /// <summary>The chapter notebooks in course order (file names start with the chapter number).</summary>
    public IEnumerable<string> Notebooks() =>
        Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>The layout of the repository this program runs in.</summary>
    public static RepositoryLayout Find() => new(RepositoryPaths.Root());
}
