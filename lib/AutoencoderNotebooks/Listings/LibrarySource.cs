using System.Reflection;

namespace AutoencoderNotebooks.Listings;

/// <summary>A piece of the library's source: where it is and its text.</summary>
/// <param name="File">The file, relative to <c>lib/AutoencoderNotebooks/</c>, e.g. <c>Sparse/SparsityPenalties.cs</c>.</param>
/// <param name="FirstLine">Its first line (1-based).</param>
/// <param name="LastLine">Its last line.</param>
/// <param name="Text">The lines, with their common indentation removed.</param>
public sealed record SourceExcerpt(string File, int FirstLine, int LastLine, string Text);

/// <summary>
/// The library's own source, as compiled into this assembly (teaching: the notebooks show the code that runs). The
/// project embeds every <c>.cs</c> file it compiles, so a listing can never drift from the build it comes from, and it
/// needs no checkout beside the library.
/// </summary>
public static class LibrarySource
{
    private const string Prefix = "source/";
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Files = new(Read);

    // Each file tokenised once per process, in path order, however many listings a notebook shows.
    private static readonly Lazy<IReadOnlyList<(string File, string Text, SourceOutline Outline)>> Outlines =
        new(() => All.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value, new SourceOutline(f.Value))).ToList());

    /// <summary>The embedded files, by path relative to <c>lib/AutoencoderNotebooks/</c>.</summary>
    public static IReadOnlyDictionary<string, string> All => Files.Value;

    /// <summary>
    /// The declaration of <paramref name="type"/> (with its doc comment and attributes), or, with
    /// <paramref name="member"/>, of each of that type's members of that name (overloads one after the other), or only
    /// the overload numbered <paramref name="overload"/> (0 = first in the file).
    /// </summary>
    public static SourceExcerpt Of(Type type, string? member = null, int? overload = null)
    {
        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;
        foreach (var (file, text, declarations) in Outlines.Value)
        {
            if (declarations.Type(name) is not { } body) continue;
            if (member is null) return Excerpt(file, text, [body.Declaration]);
            var found = declarations.Members(body, member);
            if (found.Count == 0) continue; // a partial declaration elsewhere may hold it
            if (overload is { } k)
            {
                if (k < 0 || k >= found.Count)
                    throw new ArgumentOutOfRangeException(nameof(overload), $"{name}.{member} has {found.Count} declaration(s) in {file}; asked for number {k}.");
                found = [found[k]];
            }
            return Excerpt(file, text, found);
        }
        throw new ArgumentException(member is null
            ? $"No declaration of {name} in the library's embedded source ({All.Count} files)."
            : $"No member {member} in the declaration of {name} in the library's embedded source.", nameof(member));
    }

    private static SourceExcerpt Excerpt(string file, string text, IReadOnlyList<Range> spans)
    {
        var first = LineOf(text, spans[0].Start.Value);
        var last = LineOf(text, spans[^1].End.Value - 1);
        var pieces = spans.Select(span =>
        {
            var start = text.LastIndexOf('\n', Math.Max(0, span.Start.Value - 1)) + 1; // from the line's start, for the indentation
            return text[start..span.End.Value];
        });
        return new SourceExcerpt(file, first, last, Dedent(string.Join("\n\n", pieces)));
    }

    private static int LineOf(string text, int offset) => text.AsSpan(0, Math.Min(offset, text.Length)).Count('\n') + 1;

    private static string Dedent(string text)
    {
        var lines = text.Replace("\r", "").Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }

    private static IReadOnlyDictionary<string, string> Read()
    {
        var assembly = typeof(LibrarySource).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files[resource[Prefix.Length..].Replace('\\', '/')] = reader.ReadToEnd();
        }
        if (files.Count == 0) throw new InvalidOperationException($"{assembly.GetName().Name} was built without its embedded source (the project's EmbeddedResource of **/*.cs).");
        return files;
    }
}
