using Microsoft.FSharp.Core;
using Plotly.NET;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// Sets plotly.js layout attributes by name (chapter 0). Plotly.NET's typed layout builders take F#
/// options with many type parameters; plotly.js attribute names are shorter to write and to read.
/// </summary>
internal static class LayoutSettings
{
    /// <summary>Returns <paramref name="chart"/> with the given layout attributes set.</summary>
    public static GenericChart With(this GenericChart chart, params (string Name, object Value)[] settings)
    {
        var layout = GenericChart.getLayout(chart);
        foreach (var (name, value) in settings) layout.SetProperty(name, value);
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>Returns <paramref name="chart"/> with a trace attribute (e.g. <c>marker</c>) set on every trace.</summary>
    public static GenericChart WithTraceSetting(this GenericChart chart, string name, object value) =>
        GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            trace.SetProperty(name, value);
            return trace;
        }), chart);

    /// <summary>Title, size and axis titles: the settings almost every chart wants.</summary>
    public static GenericChart Titled(this GenericChart chart, string title, string? xTitle = null, string? yTitle = null,
        int width = 700, int height = 450) =>
        chart.With(
            ("title", new Dictionary<string, object> { ["text"] = title }),
            ("width", width),
            ("height", height),
            ("xaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = xTitle ?? "" } }),
            ("yaxis", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = yTitle ?? "" } }));

    /// <summary>An axis with no ticks, grid or line (for image mosaics).</summary>
    public static Dictionary<string, object> HiddenAxis(bool reversed = false)
    {
        var axis = new Dictionary<string, object> { ["visible"] = false, ["showgrid"] = false, ["zeroline"] = false, ["scaleanchor"] = "x" };
        if (reversed) axis["autorange"] = "reversed";
        return axis;
    }
}
