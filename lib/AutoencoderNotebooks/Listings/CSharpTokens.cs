namespace AutoencoderNotebooks.Listings;

/// <summary>What a piece of C# source is, as far as listing and highlighting it needs.</summary>
public enum TokenKind
{
    /// <summary>Spaces and line breaks.</summary>
    Whitespace,
    /// <summary>A <c>//</c>, <c>///</c> or <c>/* */</c> comment.</summary>
    Comment,
    /// <summary>A string or character literal, interpolation holes included.</summary>
    String,
    /// <summary>A numeric literal.</summary>
    Number,
    /// <summary>A reserved or contextual keyword.</summary>
    Keyword,
    /// <summary>Any other name.</summary>
    Identifier,
    /// <summary>One operator or punctuation character.</summary>
    Punctuation,
}

/// <summary>One token: its kind and where it is in the source.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Offset of its first character.</param>
/// <param name="Length">Its length in characters.</param>
public readonly record struct Token(TokenKind Kind, int Start, int Length)
{
    /// <summary>Offset just after it.</summary>
    public int End => Start + Length;
}

/// <summary>
/// Splits C# source into tokens (teaching: listings of the library's code). Enough of the language for listing and
/// highlighting: comments, every string form (regular, verbatim, interpolated with nested strings in their holes, raw),
/// character and numeric literals, keywords, names and single-character punctuation. Every character belongs to
/// exactly one token, so the tokens concatenated give the source back.
/// </summary>
public static class CSharpTokens
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "var", "record", "init", "get", "set", "when", "where", "with",
        "yield", "async", "await", "not", "and", "or", "required", "file", "scoped", "nameof", "partial", "value",
    ];

    /// <summary>The tokens of <paramref name="source"/>, in order, covering every character.</summary>
    public static IReadOnlyList<Token> Of(string source)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < source.Length)
        {
            var start = i;
            var kind = Next(source, ref i);
            tokens.Add(new Token(kind, start, i - start));
        }
        return tokens;
    }

    // Reads the token at i and moves i past it.
    private static TokenKind Next(string s, ref int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c))
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            return TokenKind.Whitespace;
        }
        if (c == '/' && At(s, i + 1) == '/')
        {
            while (i < s.Length && s[i] != '\n') i++;
            return TokenKind.Comment;
        }
        if (c == '/' && At(s, i + 1) == '*')
        {
            var close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
            i = close < 0 ? s.Length : close + 2;
            return TokenKind.Comment;
        }
        if (StringStart(s, i))
        {
            i = SkipString(s, i);
            return TokenKind.String;
        }
        if (c == '\'')
        {
            i = SkipCharacter(s, i);
            return TokenKind.String;
        }
        if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(s, i + 1))))
        {
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_' || (s[i] == '.' && char.IsDigit(At(s, i + 1))))) i++;
            return TokenKind.Number;
        }
        if (char.IsLetter(c) || c == '_' || (c == '@' && (char.IsLetter(At(s, i + 1)) || At(s, i + 1) == '_')))
        {
            var start = i;
            i++;
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
            return s[start] != '@' && Keywords.Contains(s[start..i]) ? TokenKind.Keyword : TokenKind.Identifier;
        }
        i++;
        return TokenKind.Punctuation;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    // A string literal starts here: optional $ (any number) and @ prefixes, then a quote.
    private static bool StringStart(string s, int i)
    {
        while (i < s.Length && (s[i] == '$' || s[i] == '@')) i++;
        return At(s, i) == '"';
    }

    // The offset just past the string literal (any form) that starts at i.
    private static int SkipString(string s, int i)
    {
        var dollars = 0;
        var verbatim = false;
        for (; s[i] != '"'; i++)
        {
            if (s[i] == '$') dollars++;
            else verbatim = true;
        }
        var quotes = 0;
        while (At(s, i + quotes) == '"') quotes++;
        if (quotes >= 3) return SkipRaw(s, i + quotes, quotes, dollars);
        if (quotes == 2 && !verbatim) return i + 2; // ""
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (verbatim && c == '"' && At(s, i + 1) == '"') { i += 2; continue; }
            if (!verbatim && c == '\\') { i += 2; continue; }
            if (c == '"') return i + 1;
            if (!verbatim && c == '\n') return i; // unterminated: stop at the line's end
            if (dollars > 0 && c == '{')
            {
                if (At(s, i + 1) == '{') { i += 2; continue; }
                i = SkipHole(s, i + 1, 1);
                continue;
            }
            i++;
        }
        return i;
    }

    // A raw string's content starts at i after its opening quotes; holes open with as many braces as it has dollars.
    private static int SkipRaw(string s, int i, int quotes, int dollars)
    {
        var closing = new string('"', quotes);
        while (i < s.Length)
        {
            if (string.CompareOrdinal(s, i, closing, 0, quotes) == 0) return i + quotes;
            if (dollars > 0 && s[i] == '{')
            {
                var run = 0;
                while (At(s, i + run) == '{') run++;
                if (run >= dollars)
                {
                    i = SkipHole(s, i + run, dollars);
                    continue;
                }
                i += run;
                continue;
            }
            i++;
        }
        return i;
    }

    // Code inside an interpolation hole, from i to past its closing braces (as many as opened it).
    private static int SkipHole(string s, int i, int closingBraces)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (StringStart(s, i)) { i = SkipString(s, i); continue; }
            if (c == '\'') { i = SkipCharacter(s, i); continue; }
            if (c == '{') depth++;
            else if (c == '}')
            {
                if (depth == 0)
                {
                    var run = 0;
                    while (run < closingBraces && At(s, i + run) == '}') run++;
                    return i + run;
                }
                depth--;
            }
            i++;
        }
        return i;
    }

    private static int SkipCharacter(string s, int i)
    {
        i++;
        while (i < s.Length && s[i] != '\'' && s[i] != '\n') i += s[i] == '\\' ? 2 : 1;
        return Math.Min(s.Length, i + 1);
    }
}
