using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Charts;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Notebook;
using CourseRunner;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Notebooks;

/// <summary>Runs every notebook top to bottom in quick mode, in-process, and checks what it computed.</summary>
public class NotebookExecutionTests
{
    private static readonly RepositoryLayout Repo = RepositoryLayout.Find();

    private static readonly Dictionary<string, NotebookRun> Executed = [];

    /// <summary>
    /// Executes a notebook in quick mode (once per test run: the HTML book's browser test reuses the runs; a
    /// caller with its own log gets a fresh run).
    /// </summary>
    internal static async Task<NotebookRun> Run(string name, TextWriter? log = null)
    {
        if (log is null && Executed.TryGetValue(name, out var done)) return done;
        var run = await NotebookExecutor.RunAsync(Path.Combine(Repo.NotebooksFolder, name), Repo.ArtifactsFolder, RunMode.Quick, log);
        Assert.True(run.Succeeded, $"{run.Failure}");
        Assert.True(File.Exists(run.ExecutedPath));
        Executed[name] = run;
        return run;
    }

    /// <summary>
    /// What a model that learned nothing scores: the training split's mean image as the reconstruction of every
    /// test image, on the same split of the bundled sample that quick mode uses (BCE ≈ 0.49, MSE ≈ 0.087).
    /// </summary>
    private static ReconstructionScores MeanImageBaseline()
    {
        var data = SampleData.Data;
        var (train, _) = data.SplitValidation(CourseSettings.ValidationCount(new CourseSession(RunMode.Quick, 42, 1, "")));
        using var noGrad = no_grad();
        var mean = train.Images.mean([0]).expand_as(data.Test.Images);
        return new ReconstructionScores(
            ReconstructionLoss.BinaryCrossEntropy(mean, data.Test.Images).item<float>(),
            ReconstructionLoss.MeanSquaredError(mean, data.Test.Images).item<float>(), 0);
    }

    /// <summary>The model must beat the mean image by at least 15% on both BCE and MSE.</summary>
    private static void BeatsTheMeanImage(NotebookRun run, string model, ReconstructionScores baseline)
    {
        var (bce, mse) = (Metric(run, $"{model}: test BCE"), Metric(run, $"{model}: test MSE"));
        Assert.True(bce <= 0.85 * baseline.BinaryCrossEntropy, $"{model}: BCE {bce:F4} vs mean image {baseline.BinaryCrossEntropy:F4}");
        Assert.True(mse <= 0.85 * baseline.MeanSquaredError, $"{model}: MSE {mse:F4} vs mean image {baseline.MeanSquaredError:F4}");
    }

    private static double Metric(NotebookRun run, string name) =>
        run.Metrics.SingleOrDefault(m => m.Name == name)?.Value ?? throw new Xunit.Sdk.XunitException($"{run.Notebook} recorded no metric '{name}'.");

    internal static readonly string[] Tested =
    [
        "00_setup_and_data.ipynb",
        "01_efficient_representations_pca.ipynb",
        "02_stacked_autoencoders.ipynb",
        "03_convolutional_and_recurrent_autoencoders.ipynb",
        "04_denoising_autoencoders.ipynb",
        "05_sparse_autoencoders.ipynb",
        "06_variational_autoencoders.ipynb",
        "07_contractive_autoencoders.ipynb",
        "08_generative_adversarial_networks.ipynb",
        "09_diffusion_models.ipynb",
        "10_latent_diffusion.ipynb",
    ];

    [Fact]
    public void Every_notebook_has_an_execution_test() =>
        Assert.Equal(Tested.Order(), NotebookFilesTests.NotebookNames().Order());

    [Fact]
    public async Task Chapter_0_loads_the_sample_and_reports_the_environment()
    {
        var run = await Run("00_setup_and_data.ipynb");
        Assert.Equal(4000, Metric(run, "training images"));
        Assert.InRange(Metric(run, "smallest class share"), 0.05, 0.1);
        Assert.Contains(run.OutputsOfType("text/html"), html => html.Contains("libtorch") && html.Contains("2.10"));
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 4);
        // plotly.js from the Plotly.NET package once per notebook (the setup cell), so saved notebooks draw offline;
        // each chart uses it, and loads plotly.js online only where that copy is missing.
        var loaders = run.OutputsOfType("text/html").Where(html => html.Contains(ChartHtml.LoaderMarker)).ToList();
        Assert.Single(loaders);
        Assert.Contains(ChartHtml.BundledPlotlyJs!, loaders[0]);
        Assert.Single(run.OutputsOfType("text/html"), html => html.Contains("plotly.js v" + ChartHtml.PlotlyJsVersion));
        Assert.All(run.OutputsOfType("text/html").Where(html => html.Contains("renderPlotly")), html =>
        {
            Assert.Contains("window.Plotly", html);
            Assert.Contains(ChartHtml.PlotlyJsUrl, html);
        });
    }

    [Fact]
    public async Task Chapter_1_autoencoder_finds_the_PCA_subspace()
    {
        var log = new StringWriter();
        var run = await Run("01_efficient_representations_pca.ipynb", log);
        Assert.InRange(Metric(run, "max principal angle (°)"), 0, 2);
        Assert.InRange(Metric(run, "AE vs PCA MSE gap"), -1e-4, 0.01);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 4);
        // Four 300-epoch trainings: live displays update at most about twice a second (plus a summary each),
        // not once per epoch, so front ends that keep every update keep a handful.
        Assert.True(run.DisplayUpdates <= 2 * run.Elapsed.TotalSeconds + 2 * 4, $"{run.DisplayUpdates} display updates in {run.Elapsed.TotalSeconds:F1} s");
        // Headless, the runner's console shows each training's summary.
        Assert.Contains(log.ToString().Split('\n'), line => line.Contains("linear AE: 300 epochs") && line.Contains("samples/s"));
    }

    [Fact]
    public async Task Chapter_2_trains_every_dense_autoencoder_and_the_classifiers()
    {
        var run = await Run("02_stacked_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        foreach (var model in new[] { "stacked", "tied", "greedy (fine-tuned)" })
            BeatsTheMeanImage(run, model, baseline);
        // Ten balanced classes: guessing scores 0.1.
        Assert.InRange(Metric(run, "500 labels: scratch accuracy"), 0.5, 1);
        Assert.InRange(Metric(run, "500 labels: fine-tuned accuracy"), 0.5, 1);
        Assert.Contains(run.Metrics, m => m.Name.StartsWith("t-SNE seconds"));
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 6);
    }

    [Fact]
    public async Task Chapter_3_trains_the_convolutional_and_recurrent_autoencoders_and_compares_all()
    {
        var run = await Run("03_convolutional_and_recurrent_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        BeatsTheMeanImage(run, "convolutional", baseline);
        BeatsTheMeanImage(run, "recurrent", baseline);
        var models = new[] { "stacked", "tied", "greedy", "convolutional", "recurrent" };
        Assert.Contains(run.OutputsOfType("text/html"), html =>
            html.Contains("<table>") && html.Contains("Parameters") && models.All(m => html.Contains($"<td>{m}</td>")));
    }

    [Fact]
    public async Task Chapter_4_trains_both_denoisers_and_compares_them_on_noisy_images()
    {
        var run = await Run("04_denoising_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        BeatsTheMeanImage(run, "Gaussian denoiser", baseline);
        BeatsTheMeanImage(run, "dropout denoiser", baseline);
        Assert.Contains(run.Metrics, m => m.Name == "MSE at test noise σ = 0.2: plain minus denoiser");
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 5);
    }

    [Fact]
    public async Task Chapter_5_trains_sparse_and_hashing_autoencoders_that_are_sparse_and_binary()
    {
        var run = await Run("05_sparse_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        foreach (var model in new[] { "sparse L1", "sparse KL", "hashing" })
            BeatsTheMeanImage(run, model, baseline);
        // Untrained sigmoid codings sit near 0.5 on average and mid-range: these fail for a model that learned nothing.
        Assert.InRange(Metric(run, "sparse KL: |mean activation − 0.1|"), 0, 0.02);
        Assert.InRange(Metric(run, "hashing: codings within 0.1 of 0 or 1"), 0.9, 1);
        Assert.True(Metric(run, "hashing: same-hash class agreement vs random") >= 2);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 4);
    }

    [Fact]
    public async Task Chapter_6_trains_VAEs_that_reconstruct_and_generate()
    {
        var run = await Run("06_variational_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        BeatsTheMeanImage(run, "VAE (BCE)", baseline);
        BeatsTheMeanImage(run, "VAE (MSE)", baseline);
        // The mean image scores about 0.49 in book units (no latent term); a VAE that learned nothing cannot beat it.
        Assert.True(Metric(run, "VAE (BCE): test loss, book units") <= 0.85 * baseline.BinaryCrossEntropy);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 6);
    }

    [Fact]
    public async Task Chapter_7_trains_a_contractive_autoencoder_whose_codings_move_less()
    {
        var run = await Run("07_contractive_autoencoders.ipynb");
        var baseline = MeanImageBaseline();
        BeatsTheMeanImage(run, "plain (same size)", baseline);
        BeatsTheMeanImage(run, "contractive", baseline);
        Assert.InRange(Metric(run, "contractive / plain: code sensitivity at σ = 0.05"), 0, 0.7);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 3);
    }

    [Fact]
    public async Task Chapter_8_trains_GANs_and_measures_every_generator_against_the_real_images_and_noise()
    {
        var run = await Run("08_generative_adversarial_networks.ipynb");
        var noise = Metric(run, "uniform noise (reference): Fréchet distance");
        Assert.True(Metric(run, "real images (floor): Fréchet distance") < 0.1 * noise);
        // A generator that learned nothing makes noise-like images: each must be far below the noise reference.
        Assert.True(Metric(run, "VAE: Fréchet distance") < 0.5 * noise);
        Assert.True(Metric(run, "dense GAN: Fréchet distance") < 0.75 * noise);
        Assert.True(Metric(run, "DCGAN: Fréchet distance") < 0.75 * noise);
        Assert.InRange(Metric(run, "yardstick classifier: test accuracy"), 0.7, 1);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("sliders")) >= 3);
    }

    [Fact]
    public async Task Chapter_9_trains_a_diffusion_model_whose_samples_beat_noise()
    {
        var run = await Run("09_diffusion_models.ipynb");
        // A network that learned nothing predicts zero noise and scores an MSE of 1 (the noise's variance).
        Assert.InRange(Metric(run, "diffusion: validation noise-prediction MSE"), 0, 0.4);
        // Its samples would be noise: the distance must be below the noise reference.
        Assert.True(Metric(run, "diffusion: Fréchet distance") < 0.9 * Metric(run, "uniform noise (reference): Fréchet distance"));
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("sliders")) >= 1);
    }

    [Fact]
    public async Task Chapter_10_trains_latent_diffusion_whose_guided_samples_follow_the_requested_class()
    {
        var run = await Run("10_latent_diffusion.ipynb");
        BeatsTheMeanImage(run, "latent first stage", MeanImageBaseline());
        // Predicting zero noise scores 1.
        Assert.InRange(Metric(run, "latent diffusion: validation noise-prediction MSE"), 0, 0.6);
        // The baseline from the same run: a sampler that ignores the class agrees with balanced requests about 10% of
        // the time, which is what the unguided samples measure.
        var unguided = Metric(run, "latent diffusion unguided: agreement with the requested class");
        Assert.InRange(unguided, 0, 0.25);
        Assert.True(Metric(run, "latent diffusion guided: agreement with the requested class") >= unguided + 0.2);
        Assert.True(Metric(run, "latent diffusion guided: Fréchet distance") < 0.9 * Metric(run, "uniform noise (reference): Fréchet distance"));
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("sliders")) >= 1);
    }

    /// <summary>What each chapter teaches in code: the members whose listing its executed notebook must show.</summary>
    public static TheoryData<string, string[]> KeyMembers => new()
    {
        { "04_denoising_autoencoders.ipynb", ["GaussianNoise.forward", "Corruption.CreateModule", "DenoisingAutoencoder.forward"] },
        { "05_sparse_autoencoders.ipynb", ["SparsityPenalties.L1", "SparsityPenalties.KullbackLeibler", "SparseObjective.For", "HashingAutoencoder.Encode"] },
        { "06_variational_autoencoders.ipynb", ["VariationalAutoencoder.Reparameterize", "VariationalLosses.LatentLoss", "VariationalObjective.For"] },
        { "07_contractive_autoencoders.ipynb", ["ContractivePenalty.SigmoidLayer", "ContractivePenalty.Autograd", "ContractiveObjective.For"] },
        { "08_generative_adversarial_networks.ipynb", ["AdversarialStep.DiscriminatorPhase", "AdversarialStep.GeneratorPhase"] },
        { "09_diffusion_models.ipynb", ["DiffusionStep.Train", "DiffusionSampler.Ddim"] },
        { "10_latent_diffusion.ipynb", ["LatentVaeObjective.For", "ConditionedBlock.forward", "ConditionalDiffusionStep.Loss", "GuidedSampler.GuidedNoise"] },
    };

    [Theory]
    [MemberData(nameof(KeyMembers))]
    public async Task Each_chapter_shows_the_code_of_its_key_members(string notebook, string[] members)
    {
        var html = (await Run(notebook)).OutputsOfType("text/html").ToList();
        var missing = members.Where(m => !html.Any(h => h.Contains($"class=\"{AutoencoderNotebooks.Listings.CodeListing.CssClass}\" data-member=\"{m}\"", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, $"{notebook} shows no listing of {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_mean_image_baseline_is_what_a_model_that_learned_nothing_scores()
    {
        var baseline = MeanImageBaseline();
        Assert.InRange(baseline.BinaryCrossEntropy, 0.45, 0.53);
        Assert.InRange(baseline.MeanSquaredError, 0.08, 0.095);
    }

    [Fact]
    public void Notebooks_run_against_the_library_build_under_test()
    {
        var host = typeof(Course).Assembly.Location.Replace('\\', '/');
        var core = typeof(CourseMetrics).Assembly.Location.Replace('\\', '/');
        foreach (var name in NotebookFilesTests.NotebookNames())
        {
            var setup = NotebookFilesTests.CodeCells(Path.Combine(Repo.NotebooksFolder, name)).First();
            var submitted = NotebookExecutor.WithLoadedLibrary(setup);
            Assert.Contains($"#r \"{host}\"", submitted);
            Assert.Contains($"#r \"{core}\"", submitted);
            Assert.DoesNotContain("../lib/", submitted);
        }
    }

    [Fact]
    public async Task A_failing_cell_is_reported_with_notebook_cell_and_error()
    {
        using var temp = new TempFolder();
        var source = File.ReadAllText(Path.Combine(Repo.NotebooksFolder, "00_setup_and_data.ipynb"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(source)!;
        var cells = node["cells"]!.AsArray();
        cells.Insert(3, System.Text.Json.Nodes.JsonNode.Parse("""{"cell_type":"code","metadata":{},"outputs":[],"source":["throw new InvalidOperationException(\"boom\");"]}"""));
        // Keep the notebook beside the real ones so the relative library reference resolves.
        var path = Path.Combine(Repo.NotebooksFolder, $"zz_failing_{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, node.ToJsonString());
        try
        {
            var run = await NotebookExecutor.RunAsync(path, temp.Path, RunMode.Quick);
            Assert.False(run.Succeeded);
            Assert.Equal(4, run.Failure!.Cell);
            Assert.Contains("boom", run.Failure.Error);
            Assert.Contains(Path.GetFileName(path), run.Failure.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
