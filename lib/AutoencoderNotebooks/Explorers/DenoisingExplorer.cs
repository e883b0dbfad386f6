using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Explorers;

/// <summary>
/// Chapter 4's draw-and-denoise explorer: a 28×28 pad the learner draws on (mouse, finger or keyboard), Gaussian noise
/// and dropout applied in the page, and a plain autoencoder's and a denoiser's reconstructions side by side, each run in
/// the page from its trained weights (<c>denoise-explorer.js</c>, <c>dense.js</c>). "Next test image" steps through
/// the first test images.
/// </summary>
public static class DenoisingExplorer
{
    /// <summary>The class of the explorer's element.</summary>
    public const string ElementClass = "course-denoise-explorer";

    /// <summary>
    /// The explorer for <paramref name="plain"/> and <paramref name="denoiser"/>, starting on the first of
    /// <paramref name="testImages"/> images of <paramref name="images"/> with noise σ = <paramref name="sigma"/>
    /// (the page's noise is drawn from <paramref name="seed"/>). The element names both models' saved weights
    /// (<c>data-plain-model</c>, <c>data-denoiser-model</c>: name and key) for a browser test.
    /// </summary>
    public static HtmlOutput Of(AutoencoderRun<StackedAutoencoder> plain, AutoencoderRun<DenoisingAutoencoder> denoiser, ImageSet images,
        int testImages = 10, double sigma = 0.2, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(denoiser);
        ArgumentNullException.ThrowIfNull(images);
        if (testImages < 1 || testImages > images.Count)
            throw new ArgumentOutOfRangeException(nameof(testImages), testImages, $"Choose between 1 and the {images.Count} images given.");
        if (sigma is < 0 or > 0.8)
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The page's noise slider runs from σ = 0 to 0.8.");
        byte[] shown;
        using (var scope = NewDisposeScope())
            shown = (images.Images.narrow(0, 0, testImages).reshape(testImages, 784).clamp(0, 1) * 255).round().to(ScalarType.Byte).contiguous().data<byte>().ToArray();

        var id = ExplorerScripts.NewId("denoise-explorer");
        var data = new JsonObject
        {
            ["plain"] = PageLayers.Reconstruction(plain.Model),
            ["denoiser"] = PageLayers.Reconstruction(denoiser.Model),
            ["testImages"] = Convert.ToBase64String(shown),
            ["seed"] = seed,
        };
        var trained = WebUtility.HtmlEncode(denoiser.Model.Config.Corruption.ToString());
        var sigmaText = sigma.ToString("0.00", CultureInfo.InvariantCulture);
        static string Figure(string name, int pixels, string caption, string attributes, string style = "") =>
            $"<figure style=\"margin:0\"><canvas class=\"course-explorer-{name}\" width=\"28\" height=\"28\" {attributes} style=\"width:{pixels}px;height:{pixels}px;image-rendering:pixelated;border:1px solid #ccc;{style}\"></canvas><figcaption style=\"max-width:{pixels}px\">{caption}</figcaption></figure>";
        var markup = $"""
            <div id="{id}" class="{ExplorerScripts.ExplorerClass} {ElementClass}" data-plain-model="{WebUtility.HtmlEncode($"{plain.Name}.{plain.Key?.Hash}")}" data-denoiser-model="{WebUtility.HtmlEncode($"{denoiser.Name}.{denoiser.Key?.Hash}")}" style="font-family:sans-serif;font-size:13px;margin:8px 0;max-width:820px">
            <div style="font-weight:bold;margin-bottom:6px">Draw and denoise: the plain autoencoder and the denoiser, run in this page</div>
            <div style="display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start">
            {Figure("pad", 252, "Clean image: press Clear, then draw", "tabindex=\"0\" role=\"application\" aria-roledescription=\"drawing pad\" aria-label=\"Drawing pad, 28 by 28 pixels. Draw with the mouse or a finger; with the keyboard, the arrow keys move a cursor and Space or Enter lifts or lowers the pen (it starts lifted).\"", "cursor:crosshair;touch-action:none")}
            {Figure("input", 168, "Corrupted: what both models see (shown clipped to [0, 1])", "role=\"img\" aria-label=\"The drawing with the page's noise and dropout\"")}
            {Figure("plain", 168, "Plain autoencoder", "role=\"img\" aria-label=\"The plain autoencoder's reconstruction\"")}
            {Figure("denoiser", 168, $"Denoiser (trained with {trained})", "role=\"img\" aria-label=\"The denoiser's reconstruction\"")}
            </div>
            <div style="display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin-top:8px">
            <label>Gaussian noise σ <input type="range" class="course-explorer-sigma" min="0" max="0.8" step="0.05" value="{sigmaText}"></label> <span class="course-explorer-sigma-value" aria-hidden="true"></span>
            <label>Dropout rate p <input type="range" class="course-explorer-drop" min="0" max="0.8" step="0.05" value="0"></label> <span class="course-explorer-drop-value" aria-hidden="true"></span>
            <button type="button" class="course-explorer-clear">Clear</button>
            <button type="button" class="course-explorer-load">Next test image</button>
            <button type="button" class="course-explorer-reseed">New noise</button>
            </div>
            <p class="course-explorer-readout" aria-live="polite" style="margin:6px 0"></p>
            <p style="opacity:0.75;margin:2px 0">The page adds the noise (x + σε, then dropout with the kept pixels scaled by 1/(1 − p), as <code>nn.Dropout</code> does in training mode) and runs both models' {plain.Model.EncoderLayers.Count + plain.Model.DecoderLayers.Count} dense layers on the result, with the weights this run trained. The pad starts on the first test image; the error line compares each reconstruction with the clean image.</p>
            {ExplorerScripts.Start(id, "denoise-explorer.js", "denoise", data)}
            </div>
            """;
        return new HtmlOutput(markup);
    }
}
