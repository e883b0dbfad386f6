namespace AutoencoderNotebooks.Listings;

/// <summary>A type declaration found in a file: the whole declaration and the span of its body's braces.</summary>
/// <param name="Declaration">From its doc comment to its closing brace (or semicolon).</param>
/// <param name="Body">Between its braces (empty for a positional record without a body).</param>
public readonly record struct TypeDeclaration(Range Declaration, Range Body);

/// <summary>
/// Finds type and member declarations in one file of C# source from its tokens (teaching: listings): a member is a
/// name declared directly in a type's body (a method, property, field, nested type), from its doc comment and
/// attributes to the end of its body or expression.
/// </summary>
public sealed class SourceOutline
{
    private readonly string text;
    private readonly List<Token> code; // without whitespace and comments
    private readonly IReadOnlyList<Token> all;

    /// <summary>The outline of <paramref name="text"/>.</summary>
    public SourceOutline(string text)
    {
        this.text = text;
        all = CSharpTokens.Of(text);
        code = all.Where(t => t.Kind is not (TokenKind.Whitespace or TokenKind.Comment)).ToList();
    }

    /// <summary>The first declaration of a class, record, struct, interface or enum named <paramref name="name"/>, if any.</summary>
    public TypeDeclaration? Type(string name)
    {
        for (var k = 0; k + 1 < code.Count; k++)
        {
            if (!IsWord(k, "class", "record", "struct", "interface", "enum")) continue;
            var n = k + 1;
            if (IsWord(n, "struct", "class")) n++; // record struct, record class
            if (n >= code.Count || code[n].Kind != TokenKind.Identifier || Text(n) != name) continue;
            var start = DeclarationStart(k);
            var open = n;
            var parens = 0;
            for (; open < code.Count; open++)
            {
                var t = Text(open);
                if (t is "(" or "[") parens++;
                else if (t is ")" or "]") parens--;
                else if (parens == 0 && t is "{" or ";") break;
            }
            if (open >= code.Count) return null;
            if (Text(open) == ";") return new TypeDeclaration(start..code[open].End, code[open].Start..code[open].Start);
            var close = Matching(open);
            return new TypeDeclaration(start..code[close].End, code[open].End..code[close].Start);
        }
        return null;
    }

    /// <summary>The declarations of <paramref name="member"/> directly inside the body of <paramref name="type"/>, in file order.</summary>
    public IReadOnlyList<Range> Members(TypeDeclaration type, string member)
    {
        var found = new List<Range>();
        var depth = 0;
        var parens = 0;
        for (var k = 0; k < code.Count; k++)
        {
            var token = code[k];
            if (token.Start < type.Body.Start.Value || token.End > type.Body.End.Value) continue;
            var t = Text(k);
            if (t == "{") { depth++; continue; }
            if (t == "}") { depth--; continue; }
            if (t == "(") parens++;
            else if (t == ")") parens--;
            if (depth != 0 || parens != 0 || token.Kind != TokenKind.Identifier || t != member) continue;
            if (k > 0 && Text(k - 1) is "." or "new" or "=>" or "=" or "(" or ",") continue; // a use, not a declaration
            var next = k + 1 < code.Count ? Text(k + 1) : "";
            if (next is not ("(" or "<" or "{" or "=" or ";")) continue;
            if (next == "=" && k + 2 < code.Count && Text(k + 2) == "=") continue;
            var end = DeclarationEnd(k);
            found.Add(DeclarationStart(k)..code[end].End);
            k = end;
        }
        return found;
    }

    private string Text(int k) => text.Substring(code[k].Start, code[k].Length);

    private bool IsWord(int k, params string[] words) => k < code.Count && code[k].Kind == TokenKind.Keyword && words.Contains(Text(k));

    // Back from the token at k to the first token (doc comments and attributes included) after the previous
    // statement's end or the enclosing brace.
    private int DeclarationStart(int k)
    {
        var j = k;
        while (j > 0 && Text(j - 1) is not (";" or "{" or "}")) j--;
        // Attributes end in ']' and are kept; comments between the boundary and the declaration are kept too.
        var boundaryEnd = j > 0 ? code[j - 1].End : 0;
        var first = all.First(t => t.Start >= boundaryEnd && t.Kind != TokenKind.Whitespace);
        return first.Start;
    }

    // The last token of the declaration whose name is at k: its closing brace, or the semicolon of an expression body,
    // field or auto-property initialiser.
    private int DeclarationEnd(int k)
    {
        var parens = 0;
        for (var j = k + 1; j < code.Count; j++)
        {
            var t = Text(j);
            if (t is "(" or "[") parens++;
            else if (t is ")" or "]") parens--;
            else if (parens == 0 && t == ";") return j;
            else if (parens == 0 && t == "=" && j + 1 < code.Count && Text(j + 1) == ">") return ToSemicolon(j + 2);
            else if (parens == 0 && t == "{")
            {
                var close = Matching(j);
                // An auto-property with an initialiser: { get; } = value;
                return close + 1 < code.Count && Text(close + 1) == "=" ? ToSemicolon(close + 2) : close;
            }
        }
        return code.Count - 1;
    }

    private int ToSemicolon(int j)
    {
        var depth = 0;
        for (; j < code.Count; j++)
        {
            var t = Text(j);
            if (t is "(" or "[" or "{") depth++;
            else if (t is ")" or "]" or "}") depth--;
            else if (depth == 0 && t == ";") return j;
        }
        return code.Count - 1;
    }

    private int Matching(int open)
    {
        var depth = 0;
        for (var j = open; j < code.Count; j++)
        {
            var t = Text(j);
            if (t == "{") depth++;
            else if (t == "}" && --depth == 0) return j;
        }
        return code.Count - 1;
    }
}
