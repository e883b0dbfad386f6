using System.Globalization;
using System.Net;
using System.Text;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// Renders rows of a record type as a plain HTML table, one column per public property (chapter 0). Every
/// Jupyter front end shows it the same way, unlike the kernels' own collection views.
/// </summary>
public static class HtmlTable
{
    /// <summary>A table of <paramref name="rows"/>; numbers get <paramref name="digits"/> significant digits.</summary>
    public static HtmlOutput From<T>(IEnumerable<T> rows, int digits = 4)
    {
        var properties = typeof(T).GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var p in properties) html.Append("<th>").Append(WebUtility.HtmlEncode(p.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var p in properties)
                html.Append("<td>").Append(WebUtility.HtmlEncode(Format(p.GetValue(row), digits))).Append("</td>");
            html.Append("</tr>");
        }
        return new HtmlOutput(html.Append("</tbody></table>").ToString());
    }

    /// <summary>How a cell value is written: numbers rounded, null as empty.</summary>
    public static string Format(object? value, int digits = 4) => value switch
    {
        null => "",
        double d => d.ToString("G" + digits, CultureInfo.InvariantCulture),
        float f => f.ToString("G" + digits, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
