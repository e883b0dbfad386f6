using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Variational;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Explorers;

/// <summary>
/// Chapter 6's latent explorer: the codings of a set of images under a VAE with two codings, as a scatter coloured by
/// class, and a pointer the learner drags (or moves with the arrow keys) across the plane while the page decodes the
/// coding under it with the decoder's own weights (<c>latent-explorer.js</c>, <c>dense.js</c>). It shows the model the
/// run trained or loaded, offline, in any front end that runs an output's script.
/// </summary>
public static class LatentExplorer
{
    /// <summary>The class of the explorer's element.</summary>
    public const string ElementClass = "course-latent-explorer";

    /// <summary>Side of the latent plane on the page, in CSS pixels.</summary>
    public const int PlanePixels = 360;

    // plotly.js's default colours, so the classes look as they do in the charts above the explorer (the legend here, the dots in the page).
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// The explorer for <paramref name="run"/>'s VAE (two codings) over <paramref name="images"/> (their mean codings
    /// μ, in eval mode). The element names the model's saved weights (<c>data-model</c>: name and key) and the plane's
    /// bounds (<c>data-bounds</c>: z₁ min, max, z₂ min, max), which a browser test uses to point at fixed codings.
    /// </summary>
    public static HtmlOutput Of(AutoencoderRun<VariationalAutoencoder> run, ImageSet images)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(images);
        var vae = run.Model;
        if (vae.Config.Codings != 2)
            throw new ArgumentException($"The latent explorer draws a plane, so it needs a VAE with 2 codings; '{run.Name}' has {vae.Config.Codings} (train one with VariationalAutoencoderConfig.Book with {{ Codings = 2 }}).", nameof(run));

        float[] codes;
        using (var evaluation = new EvaluationMode(vae))
        using (var scope = NewDisposeScope())
            codes = vae.EncodeDistribution(images.Images).Mean.contiguous().data<float>().ToArray();
        var half = HalfSide(codes);
        var labels = images.Labels.to(ScalarType.Byte).contiguous().data<byte>().ToArray();

        var id = ExplorerScripts.NewId("latent-explorer");
        var data = new JsonObject
        {
            ["decoder"] = PageLayers.Decoder(vae),
            ["codes"] = PageLayers.Base64(codes),
            ["labels"] = Convert.ToBase64String(labels),
            ["classNames"] = new JsonArray([.. images.ClassNames.Select(n => JsonValue.Create(n))]),
            ["bounds"] = new JsonArray(-half, half, -half, half),
            ["colours"] = new JsonArray([.. Colours.Select(c => JsonValue.Create(c))]),
        };
        var model = WebUtility.HtmlEncode($"{run.Name}.{run.Key?.Hash}");
        var bounds = string.Join(",", new[] { -half, half, -half, half }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var legend = new StringBuilder();
        for (var c = 0; c < images.ClassNames.Count; c++)
            legend.Append($"<span style=\"display:inline-block;margin:0 8px 2px 0;white-space:nowrap\"><span style=\"display:inline-block;width:10px;height:10px;background:{Colours[c % Colours.Length]};margin-right:4px\"></span>{WebUtility.HtmlEncode(images.ClassNames[c])}</span>");
        var side = PlanePixels;
        var markup = $"""
            <div id="{id}" class="{ExplorerScripts.ExplorerClass} {ElementClass}" data-model="{model}" data-bounds="{bounds}" style="font-family:sans-serif;font-size:13px;margin:8px 0;max-width:680px">
            <div style="font-weight:bold;margin-bottom:6px">Latent explorer: the 2-D VAE's decoder, run in this page</div>
            <div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">
            <div style="position:relative;width:{side}px;height:{side}px;border:1px solid #ccc">
            <canvas class="course-explorer-map" width="{side}" height="{side}" style="position:absolute;left:0;top:0;width:{side}px;height:{side}px" aria-hidden="true"></canvas>
            <canvas class="course-explorer-pointer" width="{side}" height="{side}" tabindex="0" role="application" aria-roledescription="latent plane" aria-label="Latent plane of {labels.Length:N0} test codings. Drag the pointer, or use the arrow keys (Shift for larger steps, Home for the centre), to choose a coding; the decoded image and a description update." style="position:absolute;left:0;top:0;width:{side}px;height:{side}px;cursor:crosshair;touch-action:none"></canvas>
            </div>
            <div style="width:240px">
            <canvas class="course-explorer-decoded" width="28" height="28" role="img" aria-label="The image the decoder draws for the coding under the pointer" style="width:224px;height:224px;image-rendering:pixelated;border:1px solid #ccc"></canvas>
            <div class="course-explorer-coordinates" aria-hidden="true" style="font-family:monospace;margin-top:4px"></div>
            <div style="margin-top:6px;line-height:1.4">{legend}</div>
            </div>
            </div>
            <p class="course-explorer-readout" aria-live="polite" style="margin:6px 0"></p>
            <p style="opacity:0.75;margin:2px 0">Each dot is a test image's mean coding μ ({labels.Length:N0} of them), coloured by its class. Move over the plane (drag on a touch screen, or focus it with Tab and use the arrow keys): the page decodes the coding under the pointer with the decoder's {vae.DecoderLayers.Count} dense layers, the weights this run trained.</p>
            {ExplorerScripts.Start(id, "latent-explorer.js", "latent", data)}
            </div>
            """;
        return new HtmlOutput(markup);
    }

    // Half the side of a square plane around 0 that holds 99.5% of the codings' values, with a margin, in steps of ½.
    private static double HalfSide(float[] codes)
    {
        var magnitudes = codes.Select(Math.Abs).Where(float.IsFinite).Order().ToArray();
        if (magnitudes.Length == 0) return 3;
        var q = magnitudes[(int)Math.Min(magnitudes.Length - 1, Math.Floor(0.995 * magnitudes.Length))];
        return Math.Max(1, Math.Ceiling(q * 1.1 * 2) / 2);
    }
}
