using System.Text.Json.Nodes;

namespace AutoencoderNotebooks.Book;

/// <summary>Text in a Jupyter notebook's JSON (chapter 0): a cell's source or an output's text, stored as one string or a list of lines.</summary>
public static class NotebookText
{
    /// <summary>The text of <paramref name="node"/>, its lines joined; empty when absent.</summary>
    public static string Of(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    /// <summary>A cell's source.</summary>
    public static string Source(JsonObject cell) => Of(cell["source"]);
}
