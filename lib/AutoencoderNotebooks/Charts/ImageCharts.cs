using CSharpChart = Plotly.NET.CSharp.Chart;
using Plotly.NET;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Charts;

/// <summary>
/// Images as charts (chapter 0): a mosaic of grayscale images in one heatmap, with a caption above each.
/// Dark means a high pixel value, as in the book's <c>cmap="binary"</c> figures.
/// </summary>
public static class ImageCharts
{
    private const int Gap = 2;

    /// <summary>
    /// A grid of images ([n, 28, 28] or [n, 784], values in [0, 1]) with optional captions, in
    /// <paramref name="columns"/> columns.
    /// </summary>
    public static GenericChart Grid(Tensor images, IReadOnlyList<string>? captions = null, int columns = 10, string title = "", int cellPixels = 70)
    {
        var count = (int)images.shape[0];
        var side = (int)Math.Round(Math.Sqrt(images[0].numel()));
        var rows = (count + columns - 1) / columns;
        var captionSpace = captions is null ? 0 : 6;
        var pitchY = side + Gap + captionSpace;
        var pitchX = side + Gap;
        var mosaic = new double[rows * pitchY][];
        for (var r = 0; r < mosaic.Length; r++) mosaic[r] = new double[columns * pitchX];

        float[] pixels;
        using (var flat = images.reshape(count, side * side).to_type(ScalarType.Float32).contiguous())
            pixels = flat.data<float>().ToArray();
        var annotations = new List<Dictionary<string, object>>();
        for (var i = 0; i < count; i++)
        {
            var (top, left) = (i / columns * pitchY + captionSpace, i % columns * pitchX);
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
                mosaic[top + y][left + x] = pixels[i * side * side + y * side + x];
            if (captions is not null && i < captions.Count)
                annotations.Add(new()
                {
                    ["x"] = left + side / 2.0, ["y"] = top - 1, ["text"] = captions[i], ["showarrow"] = false,
                    ["yanchor"] = "bottom", ["font"] = new Dictionary<string, object> { ["size"] = 10 },
                });
        }

        var heatmap = CSharpChart.Heatmap<double, int, int, string>(
            mosaic, ShowScale: false, ColorScale: StyleParam.Colorscale.Greys, ReverseScale: true, ZSmooth: StyleParam.SmoothAlg.False);
        var width = columns * cellPixels + 40;
        var height = rows * (cellPixels + (captions is null ? 0 : 14)) + (title.Length > 0 ? 70 : 30);
        return heatmap.With(
            ("title", new Dictionary<string, object> { ["text"] = title }),
            ("width", width), ("height", height),
            ("margin", new Dictionary<string, object> { ["l"] = 10, ["r"] = 10, ["t"] = title.Length > 0 ? 50 : 10, ["b"] = 10 }),
            ("xaxis", LayoutSettings.HiddenAxis()), ("yaxis", LayoutSettings.HiddenAxis(reversed: true)),
            ("annotations", annotations),
            ("plot_bgcolor", "white"));
    }

    /// <summary>
    /// Originals in the first row and reconstructions below them, as in the book's
    /// <c>show_reconstructions</c>.
    /// </summary>
    public static GenericChart Reconstructions(Tensor originals, Tensor reconstructions, string title = "Originals (top) and reconstructions (bottom)") =>
        Rows([originals, reconstructions], title);

    /// <summary>
    /// One image grid per step with a slider to move between them (chapter 8: a GAN's samples from fixed noise after
    /// each epoch); the last step is shown first.
    /// </summary>
    public static GenericChart Slider(IReadOnlyList<(string Label, Tensor Images)> steps, string title, int columns = 10, string prefix = "")
    {
        if (steps.Count == 0) throw new ArgumentException("A slider needs at least one step.", nameof(steps));
        var last = steps.Count - 1;
        var combined = GenericChart.combine(steps.Select(s => Grid(s.Images, columns: columns, title: title)));
        combined = GenericChart.mapiTrace(Microsoft.FSharp.Core.FuncConvert.FromFunc<int, Trace, Trace>((i, trace) =>
        {
            trace.SetProperty("visible", i == last);
            return trace;
        }), combined);
        var sliderSteps = steps.Select((s, i) => new Dictionary<string, object>
        {
            ["label"] = s.Label,
            ["method"] = "restyle",
            ["args"] = new object[] { "visible", Enumerable.Range(0, steps.Count).Select(j => j == i).ToArray() },
        }).ToList();
        var rows = ((int)steps[0].Images.shape[0] + columns - 1) / columns;
        return combined.With(
            ("height", rows * 70 + 170),
            ("sliders", new[] { new Dictionary<string, object>
            {
                ["active"] = last, ["steps"] = sliderSteps, ["pad"] = new Dictionary<string, object> { ["t"] = 10 },
                ["currentvalue"] = new Dictionary<string, object> { ["prefix"] = prefix },
            } }));
    }

    /// <summary>
    /// Equal-sized batches of images, one per row (e.g. originals, noisy inputs, denoised outputs: chapter 4);
    /// values are clipped to [0, 1] for display.
    /// </summary>
    public static GenericChart Rows(IReadOnlyList<Tensor> rows, string title = "")
    {
        var count = (int)rows[0].shape[0];
        using var scope = NewDisposeScope();
        var all = cat(rows.Select(r => r.reshape(count, -1).clamp(0, 1)).ToList(), 0);
        return Grid(all, columns: count, title: title);
    }

    /// <summary>
    /// The weights of the first <paramref name="count"/> units of a dense layer ([units, 784]) as images,
    /// each scaled to [0, 1]: the pattern that excites that unit most (chapter 2, "Visualizing the extracted features").
    /// </summary>
    public static GenericChart Features(Tensor weight, int count = 30, int columns = 10, string title = "First-layer features")
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().narrow(0, 0, Math.Min(count, (int)weight.shape[0])).to_type(ScalarType.Float32);
        var low = w.amin([1], keepdim: true);
        var high = w.amax([1], keepdim: true);
        var scaled = (w - low) / (high - low + 1e-8f);
        return Grid(scaled, columns: columns, title: title);
    }
}
