using System.Text;

namespace AutoencoderNotebooks.App;

/// <summary>
/// The app's console while a chapter runs (chapter 0): everything written still reaches the terminal at once, and is
/// also kept until <see cref="ChapterPage"/> takes it as the running cell's printed output.
/// </summary>
internal sealed class CellConsole(TextWriter real) : TextWriter
{
    private readonly StringBuilder kept = new();

    /// <summary>The terminal itself, for what the page's host says about the run (not part of any cell).</summary>
    public TextWriter Real { get; } = real;

    /// <inheritdoc />
    public override Encoding Encoding => Real.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (kept) kept.Append(value);
        Real.Write(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        lock (kept) kept.Append(value);
        Real.Write(value);
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count)
    {
        lock (kept) kept.Append(buffer, index, count);
        Real.Write(buffer, index, count);
    }

    /// <inheritdoc />
    public override void Flush() => Real.Flush();

    /// <summary>What was written since the last call, and forgets it.</summary>
    public string Take()
    {
        lock (kept)
        {
            var text = kept.ToString();
            kept.Clear();
            return text;
        }
    }
}
