using System.Text.RegularExpressions;

namespace AutoencoderNotebooks.Tests.Layout;

/// <summary>The library is laid out by the course's ideas: dependencies point one way, no folder is a hub, no host in the core.</summary>
public partial class LibraryLayoutTests
{
    private static readonly string Core = Path.Combine(AutoencoderNotebooks.Platform.RepositoryPaths.Root(), "lib", "AutoencoderNotebooks");

    // Folder → the library's other folders (namespaces) its files name.
    private static Dictionary<string, HashSet<string>> Uses()
    {
        var folders = Directory.GetDirectories(Core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet();
        return folders.ToDictionary(f => f!, f => Directory.GetFiles(Path.Combine(Core, f!), "*.cs")
            .SelectMany(file => Namespace().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Where(used => used != f && folders.Contains(used)).ToHashSet());
    }

    [Fact]
    public void No_two_folders_of_the_core_library_use_each_other()
    {
        var uses = Uses();
        var mutual = uses.SelectMany(a => a.Value.Where(b => uses[b].Contains(a.Key) && string.CompareOrdinal(a.Key, b) < 0).Select(b => $"{a.Key} ↔ {b}")).ToList();
        Assert.True(mutual.Count == 0, "folders that use each other: " + string.Join(", ", mutual));
    }

    [Fact]
    public void No_folder_holds_more_than_a_quarter_of_the_core_librarys_lines()
    {
        var lines = Uses().Keys.ToDictionary(f => f, f => Directory.GetFiles(Path.Combine(Core, f), "*.cs").Sum(file => File.ReadLines(file).Count()));
        var total = lines.Values.Sum();
        var (largest, count) = lines.MaxBy(kv => kv.Value);
        Assert.True(count <= 0.25 * total, $"{largest}/ holds {count} of {total} lines");
    }

    [Fact]
    public void The_core_library_never_refers_to_the_notebook_host()
    {
        var offenders = Directory.GetFiles(Core, "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal)).ToList();
        Assert.True(offenders.Count == 0, "refers to .NET Interactive: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Each_folder_opens_with_a_readme_that_lists_its_files_and_the_folders_it_uses()
    {
        var problems = new List<string>();
        var uses = Uses();
        var host = Path.Combine(Path.GetDirectoryName(Core)!, "AutoencoderNotebooks.Notebook");
        foreach (var folder in uses.Keys.Select(f => Path.Combine(Core, f)).Append(host))
        {
            var readme = Path.Combine(folder, "README.md");
            if (!File.Exists(readme)) { problems.Add($"{folder} has no README.md"); continue; }
            var text = File.ReadAllText(readme);
            var listed = ListedFile().Matches(text).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
            var files = Directory.GetFiles(folder, "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal);
            if (!listed.SequenceEqual(files)) problems.Add($"{readme} lists [{string.Join(", ", listed)}], the folder holds [{string.Join(", ", files)}]");
            if (folder == host) continue;
            var said = UsesLine().Match(text).Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Where(uses.ContainsKey).Order(StringComparer.Ordinal);
            var actual = uses[Path.GetFileName(folder)].Order(StringComparer.Ordinal);
            if (!said.SequenceEqual(actual)) problems.Add($"{readme} says it uses [{string.Join(", ", said)}]; its files use [{string.Join(", ", actual)}]");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex(@"^\| `([^`]+\.cs)` \|", RegexOptions.Multiline)]
    private static partial Regex ListedFile();

    [GeneratedRegex(@"^Uses: ([^.]*)\.", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"AutoencoderNotebooks\.(\w+)")]
    private static partial Regex Namespace();
}
