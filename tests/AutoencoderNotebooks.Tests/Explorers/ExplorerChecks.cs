using System.Globalization;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Explorers;
using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Explorers;

/// <summary>
/// What both explorer tests check (issue 23's bars): for fixed pointer positions and a fixed stroke the page's pixels
/// equal the library's TorchSharp output for the same inputs within 1e-4 (computed here, from the model, not read from
/// the page), the drawn images change with the input, a pointer move redraws within 16 ms (median of 50 moves), the
/// keyboard works, and the explorer's output stays within 2 MB.
/// </summary>
internal static class ExplorerChecks
{
    public const double Parity = 1e-4;
    public const double FrameMilliseconds = 16;
    public const int MaxBytes = 2_000_000;

    /// <summary>The latent explorer against <paramref name="vae"/>; images at different codings differ by more than <paramref name="minChange"/>.</summary>
    public static async Task LatentAsync(ExplorerPage explorer, VariationalAutoencoder vae, double minChange)
    {
        await SizeAsync(explorer);
        await explorer.Inside("canvas.course-explorer-pointer").ScrollIntoViewIfNeededAsync();
        var bounds = (await explorer.AttributeAsync("data-bounds")).Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var (xMin, xMax, yMin, yMax) = (bounds[0], bounds[1], bounds[2], bounds[3]);
        var pixelWidth = (xMax - xMin) / LatentExplorer.PlanePixels;

        var targets = new[] { (0.0, 0.0), (0.5 * xMax, 0.3 * yMin), (0.7 * xMin, 0.6 * yMax) };
        var decoded = new List<(double[] Pixels, string Canvas)>();
        foreach (var (z1, z2) in targets)
        {
            var (x, y) = await explorer.PointOnAsync("pointer", (z1 - xMin) / (xMax - xMin), (yMax - z2) / (yMax - yMin));
            await explorer.Page.Mouse.MoveAsync(x, y);
            var code = await explorer.NumbersAsync("code");
            Assert.True(Math.Abs(code[0] - z1) <= 2 * pixelWidth && Math.Abs(code[1] - z2) <= 2 * pixelWidth,
                $"pointing at ({z1:F3}, {z2:F3}) gave the coding ({code[0]:F3}, {code[1]:F3})");
            var pixels = await explorer.NumbersAsync("pixels");
            var expected = Decode(vae, code);
            var difference = ExplorerPage.MaxDifference(pixels, expected);
            Assert.True(difference <= Parity, $"at ({code[0]:F3}, {code[1]:F3}) the page's pixels differ from TorchSharp's by {difference:E2}");
            decoded.Add((pixels, await explorer.CanvasAsync("decoded")));
        }
        for (var i = 1; i < decoded.Count; i++)
        {
            var change = decoded[i].Pixels.Zip(decoded[0].Pixels, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(change > minChange, $"the decoded image barely changed between codings ({change:E2})");
            Assert.NotEqual(decoded[0].Canvas, decoded[i].Canvas);
        }

        // Latency: 50 moves around a circle, each redrawn before the next.
        var before = (await explorer.LatenciesAsync()).Length;
        for (var i = 0; i < 50; i++)
        {
            var angle = 2 * Math.PI * i / 50;
            var (x, y) = await explorer.PointOnAsync("pointer", 0.5 + 0.3 * Math.Cos(angle), 0.5 + 0.3 * Math.Sin(angle));
            await explorer.Page.Mouse.MoveAsync(x, y);
        }
        var latencies = await explorer.LatenciesAsync(before);
        Assert.True(latencies.Length >= 50, $"the page recorded {latencies.Length} of 50 moves");
        var median = ExplorerPage.Median(latencies);
        var work = ExplorerPage.Median((await explorer.NumbersAsync("work")).Skip(before).ToArray());
        Console.WriteLine($"latent explorer: median {median:F2} ms from a pointer move to the redrawn image ({work:F2} ms of it in the handler), parity ≤ {Parity:E0}");
        Assert.True(median <= FrameMilliseconds, $"median {median:F2} ms from a pointer move to the redrawn image");

        // The keyboard: focus the plane, Home centres it, an arrow moves the coding right by 2% of the plane.
        await explorer.Inside("canvas.course-explorer-pointer").FocusAsync();
        await explorer.Page.Keyboard.PressAsync("Home");
        await explorer.Page.Keyboard.PressAsync("ArrowRight");
        var moved = await explorer.NumbersAsync("code");
        Assert.Equal(0.02 * (xMax - xMin), moved[0], 6);
        Assert.Equal(0, moved[1], 6);
        var readout = await explorer.Inside(".course-explorer-readout").TextContentAsync();
        Assert.Contains("Coding (", readout);
    }

    /// <summary>Draw and denoise against the two models; a stroke changes the outputs by more than <paramref name="minChange"/>.</summary>
    public static async Task DenoiseAsync(ExplorerPage explorer, StackedAutoencoder plain, DenoisingAutoencoder denoiser, double minChange)
    {
        await SizeAsync(explorer);
        await explorer.ClickAsync("clear");
        var blankPad = await explorer.CanvasAsync("pad");
        var blankOutput = await explorer.NumbersAsync("outputs.plain");
        Assert.Equal(0, (await explorer.NumbersAsync("drawing")).Sum());

        // A fixed stroke with the mouse: down, 50 moves along an S, up.
        await explorer.Inside("canvas.course-explorer-pad").ScrollIntoViewIfNeededAsync();
        var before = (await explorer.LatenciesAsync()).Length;
        var start = await explorer.PointOnAsync("pad", 0.3, 0.2);
        await explorer.Page.Mouse.MoveAsync(start.X, start.Y);
        await explorer.Page.Mouse.DownAsync();
        for (var i = 1; i <= 50; i++)
        {
            var t = i / 50.0;
            var (x, y) = await explorer.PointOnAsync("pad", 0.5 + 0.2 * Math.Sin(2 * Math.PI * t), 0.2 + 0.6 * t);
            await explorer.Page.Mouse.MoveAsync(x, y);
        }
        await explorer.Page.Mouse.UpAsync();
        var latencies = await explorer.LatenciesAsync(before);
        Assert.True(latencies.Length >= 50, $"the page recorded {latencies.Length} of 51 pointer events");
        var work = ExplorerPage.Median((await explorer.NumbersAsync("work")).Skip(before).ToArray());
        Console.WriteLine($"draw and denoise: median {ExplorerPage.Median(latencies):F2} ms from a pointer move to the redrawn images ({work:F2} ms of it in the handler)");
        Assert.True(ExplorerPage.Median(latencies) <= FrameMilliseconds, $"median {ExplorerPage.Median(latencies):F2} ms from a pointer move to the redrawn images");

        var drawing = await explorer.NumbersAsync("drawing");
        Assert.True(drawing.Sum() > 20, $"the stroke inked only {drawing.Sum():F1} pixels' worth");
        Assert.NotEqual(blankPad, await explorer.CanvasAsync("pad"));
        var input = await explorer.NumbersAsync("input");
        foreach (var (name, model) in new (string, nn.Module<Tensor, Tensor>)[] { ("plain", plain), ("denoiser", denoiser) })
        {
            var shown = await explorer.NumbersAsync("outputs." + name);
            var difference = ExplorerPage.MaxDifference(shown, Reconstruct(model, input));
            Assert.True(difference <= Parity, $"{name}: the page's reconstruction differs from TorchSharp's by {difference:E2}");
        }
        var change = (await explorer.NumbersAsync("outputs.plain")).Zip(blankOutput, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(change > minChange, $"the stroke barely changed the reconstruction ({change:E2})");

        // The page's corruption: none at σ = 0, then dropout zeroes pixels and doubles the rest at rate ½.
        await explorer.SlideAsync("sigma", 0);
        var clean = await explorer.NumbersAsync("input");
        Assert.True(clean.Zip(drawing, (a, b) => Math.Abs(a - b)).Max() < 1e-6, "σ = 0 and no dropout should feed the drawing itself");
        await explorer.SlideAsync("drop", 0.5);
        var dropped = await explorer.NumbersAsync("input");
        var inked = Enumerable.Range(0, 784).Where(i => drawing[i] > 0.5).ToArray();
        Assert.Contains(inked, i => dropped[i] == 0);
        Assert.All(inked.Where(i => dropped[i] != 0), i => Assert.Equal(2 * drawing[i], dropped[i], 5));

        // The keyboard: Space lowers the pen on the pad, arrows draw.
        await explorer.ClickAsync("clear");
        await explorer.Inside("canvas.course-explorer-pad").FocusAsync();
        await explorer.Page.Keyboard.PressAsync(" ");
        for (var i = 0; i < 4; i++) await explorer.Page.Keyboard.PressAsync("ArrowRight");
        Assert.True((await explorer.NumbersAsync("drawing")).Sum() > 3, "drawing with the keyboard left no ink");
    }

    /// <summary>The model an explorer names in <paramref name="attribute"/> ("name.key"), loaded into <paramref name="model"/> from the store the notebook run saved it in.</summary>
    public static async Task<T> LoadNamedAsync<T>(ExplorerPage explorer, string attribute, ModelStore store, T model) where T : nn.Module
    {
        var saved = await explorer.AttributeAsync(attribute);
        var dot = saved.LastIndexOf('.');
        Assert.True(dot > 0, $"the explorer names no saved model in {attribute}: '{saved}'");
        Assert.True(store.TryLoad(model, saved[..dot], saved[(dot + 1)..]) is not null, $"{saved} is not in {store.Folder}");
        return model;
    }

    private static async Task SizeAsync(ExplorerPage explorer)
    {
        var length = await explorer.Page.EvaluateAsync<int>("s => new Blob([document.querySelector(s).outerHTML]).size", explorer.Selector);
        Console.WriteLine($"{explorer.Selector}: {length:N0} bytes");
        Assert.True(length <= MaxBytes, $"the explorer's output is {length:N0} bytes (at most {MaxBytes:N0})");
    }

    private static float[] Decode(VariationalAutoencoder vae, double[] code)
    {
        using var evaluation = new EvaluationMode(vae);
        using var scope = NewDisposeScope();
        return vae.Decode(tensor(code.Select(v => (float)v).ToArray()).reshape(1, 2)).data<float>().ToArray();
    }

    private static float[] Reconstruct(nn.Module<Tensor, Tensor> model, double[] input)
    {
        using var evaluation = new EvaluationMode(model);
        using var scope = NewDisposeScope();
        return model.call(tensor(input.Select(v => (float)v).ToArray()).reshape(1, 784)).reshape(-1).data<float>().ToArray();
    }
}
