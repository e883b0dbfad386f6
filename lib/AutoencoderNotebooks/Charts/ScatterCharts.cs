using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Charts;

/// <summary>Point clouds: 3D data and 2D codings (chapter 1), coloured by a value or by class.</summary>
public static class ScatterCharts
{
    /// <summary>An interactive 3D scatter of [n, 3] points, coloured by <paramref name="color"/> if given.</summary>
    public static GenericChart Points3D(Tensor points, Tensor? color = null, string title = "", string colorTitle = "")
    {
        var (x, y, z) = (Column(points, 0), Column(points, 1), Column(points, 2));
        var chart = CSharpChart.Point3D<double, double, double, string>(x, y, z, Name: "points");
        return chart.WithTraceSetting("marker", Marker(color, colorTitle)).With(
            ("title", new Dictionary<string, object> { ["text"] = title }), ("width", 700), ("height", 550),
            ("scene", new Dictionary<string, object>
            {
                ["xaxis"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = "x₀" } },
                ["yaxis"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = "x₁" } },
                ["zaxis"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = "x₂" } },
            }));
    }

    /// <summary>A 2D scatter of [n, 2] points, coloured by a continuous value if given.</summary>
    public static GenericChart Points2D(Tensor points, Tensor? color = null, string title = "", string xTitle = "z₁", string yTitle = "z₂", string colorTitle = "")
    {
        var chart = CSharpChart.Point<double, double, string>(Column(points, 0), Column(points, 1), Name: "codings");
        return chart.WithTraceSetting("marker", Marker(color, colorTitle)).Titled(title, xTitle, yTitle, 650, 500);
    }

    /// <summary>A 2D scatter of [n, 2] points with one trace (and legend entry) per class.</summary>
    public static GenericChart ByClass(Tensor points, Tensor labels, IReadOnlyList<string> classNames, string title = "", string xTitle = "", string yTitle = "")
    {
        var x = Column(points, 0);
        var y = Column(points, 1);
        using var flatLabels = labels.to_type(ScalarType.Int64);
        var label = flatLabels.data<long>().ToArray();
        var traces = Enumerable.Range(0, classNames.Count)
            .Select(c => (Class: c, Index: Enumerable.Range(0, label.Length).Where(i => label[i] == c).ToArray()))
            .Where(t => t.Index.Length > 0)
            .Select(t => CSharpChart.Point<double, double, string>(t.Index.Select(i => x[i]), t.Index.Select(i => y[i]), Name: classNames[t.Class], Opacity: 0.7));
        return CSharpChart.Combine(traces).Titled(title, xTitle, yTitle, 800, 650);
    }

    private static double[] Column(Tensor points, int column)
    {
        using var c = points.select(1, column).to_type(ScalarType.Float64).contiguous();
        return c.data<double>().ToArray();
    }

    private static Dictionary<string, object> Marker(Tensor? color, string colorTitle)
    {
        var marker = new Dictionary<string, object> { ["size"] = 4 };
        if (color is not null)
        {
            using var c = color.reshape(-1).to_type(ScalarType.Float64).contiguous();
            marker["color"] = c.data<double>().ToArray();
            marker["colorscale"] = "Viridis";
            marker["showscale"] = true;
            marker["colorbar"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = colorTitle } };
        }
        return marker;
    }
}
