using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Checkpoints;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Explorers;
using AutoencoderNotebooks.Tests.Explorers;
using AutoencoderNotebooks.Tests.Notebooks;
using AutoencoderNotebooks.Variational;
using CourseRunner;
using Microsoft.Playwright;

namespace AutoencoderNotebooks.Tests.Site;

/// <summary>
/// The explorers of chapters 4 and 6 in the HTML book built from this test run's quick-mode notebooks, opened in
/// headless Chromium with the network cut, checked against the models those runs saved (loaded here from the store
/// by the names and keys the pages carry).
/// </summary>
public class ExplorerPagesTests
{
    [ChromiumFact]
    public async Task The_books_chapter_4_and_6_pages_explore_the_models_their_runs_trained()
    {
        var runs = new[] { await NotebookExecutionTests.Run("04_denoising_autoencoders.ipynb"), await NotebookExecutionTests.Run("06_variational_autoencoders.ipynb") };
        using var folder = new TempFolder();
        CourseSite.Write(runs, RunMode.Quick, folder.File("site"));
        var store = ModelStore.For(RunMode.Quick);

        await using var browser = await OfflineBrowser.StartAsync();
        foreach (var run in runs)
        {
            var page = await browser.Context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            await page.GotoAsync(new Uri(folder.File("site/" + CourseSite.PageName(run.Notebook))).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
            if (run.Notebook.StartsWith("06", StringComparison.Ordinal))
            {
                var explorer = await ExplorerPage.FindAsync(page, LatentExplorer.ElementClass);
                var vae = await ExplorerChecks.LoadNamedAsync(explorer, "data-model", store, new VariationalAutoencoder(VariationalAutoencoderConfig.Book with { Codings = 2 }));
                await ExplorerChecks.LatentAsync(explorer, vae, minChange: 0.05);
            }
            else
            {
                var explorer = await ExplorerPage.FindAsync(page, DenoisingExplorer.ElementClass);
                var plain = await ExplorerChecks.LoadNamedAsync(explorer, "data-plain-model", store, new StackedAutoencoder(StackedAutoencoderConfig.Book));
                var denoiser = await ExplorerChecks.LoadNamedAsync(explorer, "data-denoiser-model", store, new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookGaussian));
                await ExplorerChecks.DenoiseAsync(explorer, plain, denoiser, minChange: 0.05);
            }
            Assert.True(errors.Count == 0, $"{run.Notebook}: JavaScript errors: {string.Join(" | ", errors)}");
            await page.CloseAsync();
        }
    }

}
