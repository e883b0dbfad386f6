using AutoencoderNotebooks.Notebook;
using CourseRunner;

namespace AutoencoderNotebooks.Tests.Notebooks;

/// <summary>Runs every notebook top to bottom in quick mode, in-process, and checks what it computed.</summary>
public class NotebookExecutionTests
{
    private static readonly RepositoryLayout Repo = RepositoryLayout.Find();

    private static async Task<NotebookRun> Run(string name)
    {
        var run = await NotebookExecutor.RunAsync(Path.Combine(Repo.NotebooksFolder, name), Repo.ArtifactsFolder, RunMode.Quick);
        Assert.True(run.Succeeded, $"{run.Failure}");
        Assert.True(File.Exists(run.ExecutedPath));
        return run;
    }

    private static double Metric(NotebookRun run, string name) =>
        run.Metrics.SingleOrDefault(m => m.Name == name)?.Value ?? throw new Xunit.Sdk.XunitException($"{run.Notebook} recorded no metric '{name}'.");

    private static readonly string[] Tested =
    [
        "00_setup_and_data.ipynb",
        "01_efficient_representations_pca.ipynb",
        "02_stacked_autoencoders.ipynb",
        "03_convolutional_and_recurrent_autoencoders.ipynb",
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
        // Charts bring their own plotly.js loader, so they draw in VS Code, Jupyter and saved notebooks.
        Assert.All(run.OutputsOfType("text/html").Where(html => html.Contains("renderPlotly")),
            html => Assert.Contains(NotebookFormatting.PlotlyJsUrl, html));
    }

    [Fact]
    public async Task Chapter_1_autoencoder_finds_the_PCA_subspace()
    {
        var run = await Run("01_efficient_representations_pca.ipynb");
        Assert.InRange(Metric(run, "max principal angle (°)"), 0, 2);
        Assert.InRange(Metric(run, "AE vs PCA MSE gap"), -1e-4, 0.01);
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 4);
    }

    [Fact]
    public async Task Chapter_2_trains_every_dense_autoencoder_and_the_classifiers()
    {
        var run = await Run("02_stacked_autoencoders.ipynb");
        // Quick mode: two epochs on 3,500 images. An untrained model scores BCE ≈ 0.69.
        foreach (var model in new[] { "stacked", "tied", "greedy (fine-tuned)" })
        {
            Assert.InRange(Metric(run, $"{model}: test BCE"), 0.2, 0.5);
            Assert.InRange(Metric(run, $"{model}: test MSE"), 0.005, 0.1);
        }
        Assert.InRange(Metric(run, "500 labels: scratch accuracy"), 0.5, 1);
        Assert.InRange(Metric(run, "500 labels: fine-tuned accuracy"), 0.5, 1);
        Assert.Contains(run.Metrics, m => m.Name.StartsWith("t-SNE seconds"));
        Assert.True(run.OutputsOfType("text/html").Count(html => html.Contains("renderPlotly")) >= 6);
    }

    [Fact]
    public async Task Chapter_3_trains_the_convolutional_and_recurrent_autoencoders_and_compares_all()
    {
        var run = await Run("03_convolutional_and_recurrent_autoencoders.ipynb");
        Assert.InRange(Metric(run, "convolutional: test BCE"), 0.2, 0.5);
        Assert.InRange(Metric(run, "recurrent: test BCE"), 0.2, 0.6);
        Assert.InRange(Metric(run, "recurrent: test MSE"), 0.005, 0.15);
        var models = new[] { "stacked", "tied", "greedy", "convolutional", "recurrent" };
        Assert.Contains(run.OutputsOfType("text/html"), html =>
            html.Contains("<table>") && html.Contains("Parameters") && models.All(m => html.Contains($"<td>{m}</td>")));
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
