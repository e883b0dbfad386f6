using System.Net;
using System.Text;
using AutoencoderNotebooks.Charts;

namespace AutoencoderNotebooks.Listings;

/// <summary>
/// The library's code as a notebook output (teaching: every chapter shows the forward passes, losses and steps it
/// teaches as the code that runs). Highlighted with inline styles on a light panel, so it reads the same offline in
/// every front end, in dark editor themes and in the HTML book; the caption names the file and lines.
/// </summary>
public static class CodeListing
{
    /// <summary>The CSS class of every listing; <c>data-member</c> names what it shows (<c>Type</c> or <c>Type.Member</c>).</summary>
    public const string CssClass = "code-listing";

    private const string Panel = "background:#f6f8fa;color:#1f2328;padding:0.6em 0.8em;border-radius:6px;overflow-x:auto;font-size:0.85em;line-height:1.4;margin:0";

    /// <summary>The declaration of <typeparamref name="T"/>, or of its member(s) named <paramref name="member"/> (see <see cref="LibrarySource.Of"/>).</summary>
    public static HtmlOutput Of<T>(string? member = null, int? overload = null) => Of(typeof(T), member, overload);

    /// <summary>The declaration of <paramref name="type"/>, or of its member(s) named <paramref name="member"/>.</summary>
    public static HtmlOutput Of(Type type, string? member = null, int? overload = null)
    {
        var excerpt = LibrarySource.Of(type, member, overload);
        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;
        var shown = member is null ? name : $"{name}.{member}";
        var html = new StringBuilder();
        html.Append($"<figure class=\"{CssClass}\" data-member=\"{WebUtility.HtmlEncode(shown)}\" style=\"margin:0.4em 0\">");
        html.Append($"<figcaption style=\"font-size:0.8em;color:#59636e;margin-bottom:0.2em\">{WebUtility.HtmlEncode(shown)} — " +
                    $"<code>lib/AutoencoderNotebooks/{WebUtility.HtmlEncode(excerpt.File)}</code>, lines {excerpt.FirstLine}–{excerpt.LastLine} (the code this notebook runs)</figcaption>");
        html.Append($"<pre style=\"{Panel}\"><code>");
        AppendHighlighted(html, excerpt.Text);
        html.Append("</code></pre></figure>");
        return new HtmlOutput(html.ToString());
    }

    /// <summary>Several listings in one output, in order: each a type, or a type and a member name (all its overloads).</summary>
    public static HtmlOutput Of(params (Type Type, string? Member)[] parts) =>
        new(string.Concat(parts.Select(p => Of(p.Type, p.Member).Markup)));

    private static void AppendHighlighted(StringBuilder html, string code)
    {
        foreach (var token in CSharpTokens.Of(code))
        {
            var text = WebUtility.HtmlEncode(code.Substring(token.Start, token.Length));
            var style = token.Kind switch
            {
                TokenKind.Comment => "color:#59636e;font-style:italic",
                TokenKind.String => "color:#0a3069",
                TokenKind.Number => "color:#0550ae",
                TokenKind.Keyword => "color:#cf222e",
                TokenKind.Identifier when char.IsUpper(code[token.Start]) => "color:#8250df",
                _ => null,
            };
            if (style is null) html.Append(text);
            else html.Append($"<span style=\"{style}\">{text}</span>");
        }
    }
}
