using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace AutoencoderNotebooks.Book;

/// <summary>
/// Notebook markdown to HTML with its equations intact (the HTML book). Markdown processing would take <c>{x}</c> in
/// <c>\mathbf{x}</c> for attributes, drop the backslash of <c>\,</c> and never see a <c>$$…$$</c> that spans lines, so
/// every <c>$…$</c> and <c>$$…$$</c> outside code is set aside before the markdown is parsed and put back afterwards,
/// HTML-encoded, as <c>\(…\)</c> or <c>\[…\]</c> inside an element of class <c>math</c> for KaTeX.
/// </summary>
public static partial class MarkdownMath
{
    // Raw HTML in markdown is shown as text (no notebook needs it, and it could run script in the book).
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseEmphasisExtras().UseAutoLinks().UseListExtras().UseTaskLists().UseFootnotes().UseAutoIdentifiers()
        .DisableHtml()
        .Build();

    /// <summary>True for a link target the book keeps: http(s), mailto, or a path or anchor without a scheme.</summary>
    public static bool IsSafeLink(string? url)
    {
        var trimmed = new string((url ?? "").Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = trimmed.IndexOf(':');
        if (colon < 0 || trimmed.IndexOfAny(['/', '?', '#']) is var end && end >= 0 && end < colon) return true; // no scheme
        return trimmed[..colon].ToLowerInvariant() is "http" or "https" or "mailto";
    }

    /// <summary>The HTML of <paramref name="markdown"/>, its equations ready for KaTeX.</summary>
    public static string ToHtml(string markdown)
    {
        var equations = new List<(string Tex, bool Display)>();
        var text = new StringBuilder();
        foreach (var (piece, isCode) in Split(markdown))
        {
            if (isCode)
            {
                text.Append(piece);
                continue;
            }
            var withoutDisplay = DisplayMath().Replace(piece, m => Hold(equations, m.Groups[1].Value, display: true));
            text.Append(InlineMath().Replace(withoutDisplay, m => Hold(equations, m.Groups[1].Value, display: false)));
        }
        var document = Markdown.Parse(text.ToString(), Pipeline);
        // A link or image to javascript:, data: or any other scheme the book does not need keeps its text and loses its target.
        foreach (var link in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => !IsSafeLink(l.Url))) link.Url = "";
        foreach (var link in document.Descendants<Markdig.Syntax.Inlines.AutolinkInline>().Where(l => !l.IsEmail && !IsSafeLink(l.Url))) link.Url = "";
        var html = Markdown.ToHtml(document, Pipeline);
        // A display equation alone in its paragraph becomes a block of its own; elsewhere it stays in its line.
        html = Placeholder().Replace(html, m =>
        {
            var (tex, display) = equations[int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)];
            var encoded = WebUtility.HtmlEncode(tex.Trim());
            if (!display) return $"<span class=\"math\">\\({encoded}\\)</span>";
            return m.Groups[1].Success ? $"<div class=\"math\">\\[{encoded}\\]</div>" : $"<span class=\"math display\">\\[{encoded}\\]</span>";
        });
        return html;
    }

    private static string Hold(List<(string, bool)> equations, string tex, bool display)
    {
        equations.Add((tex, display));
        return $"MATHHOLD{equations.Count - 1}X";
    }

    // The markdown cut into code (fenced blocks and inline code spans, left alone) and the rest.
    private static IEnumerable<(string Piece, bool IsCode)> Split(string markdown)
    {
        var position = 0;
        foreach (Match code in Code().Matches(markdown))
        {
            if (code.Index > position) yield return (markdown[position..code.Index], false);
            yield return (code.Value, true);
            position = code.Index + code.Length;
        }
        if (position < markdown.Length) yield return (markdown[position..], false);
    }

    [GeneratedRegex(@"^[ ]{0,3}(```|~~~)[^\n]*\n.*?^[ ]{0,3}\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Code();

    [GeneratedRegex(@"(?<!\\)\$\$(.+?)(?<!\\)\$\$", RegexOptions.Singleline)]
    private static partial Regex DisplayMath();

    // Inline math may wrap onto the next line (a soft break), never across a blank line.
    [GeneratedRegex(@"(?<![\\$])\$(?!\$)((?:[^$\n]|\n(?![ \t]*\n))+?)(?<![\\$])\$(?!\$)")]
    private static partial Regex InlineMath();

    [GeneratedRegex(@"(<p>\s*)?MATHHOLD(\d+)X(?(1)\s*</p>|)")]
    private static partial Regex Placeholder();
}
