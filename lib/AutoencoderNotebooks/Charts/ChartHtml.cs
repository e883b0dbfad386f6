using Newtonsoft.Json;
using Plotly.NET;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// A piece of HTML for a notebook output (chapter 0). The library's own type, with its own formatter,
/// because kernels may load a different Microsoft.AspNetCore.Html than the one the library was built
/// against, and then show an <c>HtmlString</c> as an object tree instead of rendering it.
/// </summary>
public sealed record HtmlOutput(string Markup)
{
    /// <inheritdoc />
    public override string ToString() => Markup;
}

/// <summary>
/// Charts and HTML outputs as HTML (chapter 0), for any host: the notebook kernel's formatters, the HTML book and
/// the file-based apps' pages. Charts draw without internet: the notebook setup puts the plotly.js that ships inside the Plotly.NET
/// package into the setup cell's output once per notebook, and every chart draws with that copy; where it is
/// absent (the setup output was cleared, or a front end renders a chart first) the chart loads plotly.js online
/// as Plotly.NET.Interactive does.
/// </summary>
public static class ChartHtml
{
    /// <summary>The plotly.js version Plotly.NET is built for (and ships).</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>Where charts load plotly.js from when the bundled copy is not on the page (through require.js where present).</summary>
    public static readonly string PlotlyJsUrl = $"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min";

    /// <summary>Marks the setup output that carries plotly.js, so tools (and tests) can find it.</summary>
    public const string LoaderMarker = "course-plotly-loader";

    /// <summary>The class of every chart's div, so tools (and the browser test) can find the charts on a page.</summary>
    public const string ChartClass = "course-chart";

    private static readonly Lazy<string?> bundled = new(ReadBundledPlotlyJs);

    /// <summary>The plotly.js embedded in Plotly.NET.dll, or null where the resource is missing.</summary>
    public static string? BundledPlotlyJs => bundled.Value;

    /// <summary>
    /// The setup cell's output that makes charts draw offline: the bundled plotly.js, evaluated once per page with
    /// <c>define</c>, <c>exports</c> and <c>module</c> hidden (so under Jupyter's require.js it sets
    /// <c>window.Plotly</c> instead of registering an anonymous AMD module), and a one-line note.
    /// Null where the package carries no copy.
    /// </summary>
    public static HtmlOutput? PlotlyLoader()
    {
        if (BundledPlotlyJs is not { } script) return null;
        return new HtmlOutput(
            $"<div class=\"{LoaderMarker}\" style=\"font-size:smaller;opacity:0.7\">Charts: plotly.js {PlotlyJsVersion} from the Plotly.NET package (draws offline).</div>\n" +
            "<script type=\"text/javascript\">\nif (!window.Plotly) { (function (define, exports, module) {\n" + script +
            "\n}).call(window, undefined, undefined, undefined); }\n</script>");
    }

    /// <summary>
    /// A chart as a notebook output: a div and a script that draws it with the page's plotly.js (the setup cell's
    /// copy), or loads plotly.js online first where the page has none.
    /// </summary>
    public static string Of(GenericChart chart)
    {
        var data = JsonConvert.SerializeObject(GenericChart.getTraces(chart), Globals.JSON_CONFIG);
        var layout = JsonConvert.SerializeObject(GenericChart.getLayout(chart), Globals.JSON_CONFIG);
        var config = JsonConvert.SerializeObject(GenericChart.getConfig(chart), Globals.JSON_CONFIG);
        var id = Guid.NewGuid().ToString("N");
        return $$$"""
            <div><div id="{{{id}}}" class="{{{ChartClass}}}"><!-- Plotly chart will be drawn inside this DIV --></div>
            <script type="text/javascript">
            var renderPlotly_{{{id}}} = function (Plotly) {
                Plotly.newPlot('{{{id}}}', {{{data}}}, {{{layout}}}, {{{config}}});
            };
            (function () {
                if (window.Plotly) { renderPlotly_{{{id}}}(window.Plotly); return; }
                // No bundled copy on this page: load plotly.js online, through require.js where the front end has it.
                if (typeof requirejs === 'function' && typeof requirejs.config === 'function') {
                    var load = requirejs.config({context: 'fsharp-plotly', paths: {plotly: '{{{PlotlyJsUrl}}}'}}) || require;
                    load(['plotly'], renderPlotly_{{{id}}});
                } else {
                    var script = document.createElement('script');
                    script.setAttribute('charset', 'utf-8');
                    script.setAttribute('src', '{{{PlotlyJsUrl}}}.js');
                    script.onload = function () { renderPlotly_{{{id}}}(window.Plotly); };
                    document.getElementsByTagName('head')[0].appendChild(script);
                }
            })();
            </script></div>
            """;
    }


    private static string? ReadBundledPlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream($"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
