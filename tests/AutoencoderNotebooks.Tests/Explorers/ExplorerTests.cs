using System.Text.Json.Nodes;
using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Explorers;
using AutoencoderNotebooks.Tests.Site;
using AutoencoderNotebooks.Variational;
using Microsoft.Playwright;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Explorers;

/// <summary>The explorers' dense-layer module and both explorers on a page of their own, with untrained models.</summary>
public class ExplorerTests
{
    private static AutoencoderRun<T> Run<T>(string name, T model) where T : nn.Module<Tensor, Tensor> =>
        new(name, model, 0, 0, 0, new ReconstructionScores(0, 0, 0), [], false);

    [Fact]
    public void Page_layers_carry_the_exact_weights_and_each_layers_activation()
    {
        manual_seed(3);
        var model = new StackedAutoencoder(StackedAutoencoderConfig.Book);
        var layers = PageLayers.Reconstruction(model);
        Assert.Equal(["selu", "selu", "selu", "sigmoid"], layers.Select(l => l!["activation"]!.GetValue<string>()));
        Assert.Equal([784, 100, 30, 100], layers.Select(l => l!["inputs"]!.GetValue<long>()).Select(v => (int)v));
        var bytes = Convert.FromBase64String(layers[0]!["weight"]!.GetValue<string>());
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        Assert.Equal(model.EncoderLayers[0].weight!.data<float>().ToArray(), floats); // row-major [outputs × inputs], bit for bit

        var mse = new VariationalAutoencoder(VariationalAutoencoderConfig.ThirdEdition with { Codings = 2 });
        Assert.Equal(["relu", "relu", "clamp01"], PageLayers.Decoder(mse).Select(l => l!["activation"]!.GetValue<string>()));
        Assert.Equal("sigmoid", PageLayers.Decoder(new VariationalAutoencoder(VariationalAutoencoderConfig.Book))[^1]!["activation"]!.GetValue<string>());
    }

    [Fact]
    public void The_latent_explorer_says_it_needs_two_codings()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentExplorer.Of(Run("vae", new VariationalAutoencoder(VariationalAutoencoderConfig.Book)), SampleData.Data.Test));
        Assert.Contains("2 codings", error.Message);
        Assert.Contains("'vae' has 10", error.Message);
    }

    /// <summary>dense.js in the browser against TorchSharp: every activation, a chain of layers, and the errors it raises.</summary>
    [ChromiumFact]
    public async Task The_dense_module_computes_what_TorchSharp_computes()
    {
        await using var browser = await OfflineBrowser.StartAsync();
        var page = await browser.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.SetContentAsync("<!doctype html><html><body><script>" + ExplorerScripts.Dense + "</script></body></html>");

        manual_seed(5);
        var input = randn(7) * 3;
        foreach (var (name, apply) in new (string, Func<Tensor, Tensor>)[]
        {
            ("identity", x => x), ("relu", x => nn.functional.relu(x)), ("selu", x => nn.functional.selu(x)), ("tanh", x => x.tanh()),
            ("sigmoid", x => x.sigmoid()), ("clamp01", x => x.clamp(0, 1)),
        })
        {
            using var first = nn.Linear(7, 9);
            using var second = nn.Linear(9, 4);
            var spec = new JsonArray(Layer(first, name), Layer(second, name));
            float[] expected;
            using (var noGrad = no_grad()) expected = apply(second.call(apply(first.call(input)))).data<float>().ToArray();
            var shown = await page.EvaluateAsync<double[]>("([spec, x]) => Array.from(CourseDense.network(JSON.parse(spec)).forward(Float32Array.from(x)))",
                new object[] { spec.ToJsonString(), input.data<float>().ToArray().Select(v => (double)v).ToArray() });
            var difference = ExplorerPage.MaxDifference(shown, expected);
            Assert.True(difference <= 1e-5, $"{name}: dense.js differs from TorchSharp by {difference:E2}");
        }

        using var a = nn.Linear(3, 5);
        using var b = nn.Linear(4, 2);
        var mismatch = await page.EvaluateAsync<string>("spec => { try { CourseDense.network(JSON.parse(spec)); return 'no error'; } catch (e) { return e.message; } }",
            new JsonArray(Layer(a, "relu"), Layer(b, "relu")).ToJsonString());
        Assert.Equal("CourseDense: layer 1 expects 4 inputs but layer 0 gives 5", mismatch);
        var unknown = await page.EvaluateAsync<string>("spec => { try { CourseDense.network(JSON.parse(spec)); return 'no error'; } catch (e) { return e.message; } }",
            new JsonArray(Layer(a, "gelu")).ToJsonString());
        Assert.Equal("CourseDense: unknown activation \"gelu\"", unknown);
        Assert.Empty(errors);
    }

    /// <summary>Both explorers on one page, with untrained (seeded) models: parity, change, latency, keyboard.</summary>
    [ChromiumFact]
    public async Task Both_explorers_match_the_library_redraw_within_a_frame_and_answer_the_keyboard()
    {
        manual_seed(7);
        var vae = new VariationalAutoencoder(VariationalAutoencoderConfig.Book with { Codings = 2 });
        var plain = new StackedAutoencoder(StackedAutoencoderConfig.Book);
        var denoiser = new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookGaussian);
        var test = SampleData.Data.Test;
        var markup = LatentExplorer.Of(Run("vae-2d", vae), test).Markup + DenoisingExplorer.Of(Run("stacked", plain), Run("denoising-gaussian", denoiser), test).Markup;

        await using var browser = await OfflineBrowser.StartAsync();
        var page = await browser.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.SetContentAsync("<!doctype html><html><body>" + markup + "</body></html>");

        await ExplorerChecks.LatentAsync(await ExplorerPage.FindAsync(page, LatentExplorer.ElementClass), vae, minChange: 1e-3);
        await ExplorerChecks.DenoiseAsync(await ExplorerPage.FindAsync(page, DenoisingExplorer.ElementClass), plain, denoiser, minChange: 1e-3);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => Object.keys(window.CourseExplorers).length === 2 && window.CourseDense ? 1 : 0"));
        Assert.Empty(errors);
    }

    private static JsonObject Layer(TorchSharp.Modules.Linear layer, string activation) => new()
    {
        ["inputs"] = layer.weight!.shape[1],
        ["outputs"] = layer.weight!.shape[0],
        ["weight"] = PageLayers.Base64(layer.weight!),
        ["bias"] = PageLayers.Base64(layer.bias!),
        ["activation"] = activation,
    };
}
