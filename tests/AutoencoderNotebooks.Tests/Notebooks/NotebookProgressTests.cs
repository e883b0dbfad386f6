using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Notebook;
using CourseRunner;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace AutoencoderNotebooks.Tests.Notebooks;

/// <summary>A cell's progress is one output whose saved footprint stays bounded, however many runs the cell trains.</summary>
public class NotebookProgressTests
{
    [Fact]
    public async Task A_cell_of_many_runs_saves_a_logarithmic_number_of_updates_and_ends_with_every_summary()
    {
        const int runs = 12;
        var previous = TrainingProgress.Display;
        try
        {
            using var csharp = NotebookExecutor.CreateCSharpKernel();
            using var kernel = new CompositeKernel { csharp };
            kernel.DefaultKernelName = csharp.Name;
            var library = typeof(Trainer).Assembly.Location;
            var host = typeof(NotebookProgress).Assembly.Location;
            // Twelve short runs, each longer than the first update's delay divided by the runs so the clock moves.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await kernel.SendAsync(new SubmitCode($$"""
                #r "{{library}}"
                #r "{{host}}"
                using AutoencoderNotebooks.Core;
                using static TorchSharp.torch;
                AutoencoderNotebooks.Notebook.NotebookFormatting.Install();
                AutoencoderNotebooks.Notebook.NotebookProgress.Install();
                var x = rand(64, 4);
                for (var run = 1; run <= {{runs}}; run++)
                {
                    var model = nn.Linear(4, 4);
                    using var optimizer = optim.SGD(model.parameters(), 0.01);
                    Trainer.Fit(model, optimizer, (inputs, targets) => LossTerms.Of(nn.functional.mse_loss(model.forward(inputs), targets)),
                        x, null, new FitSettings(Epochs: 2, BatchSize: 16), $"run {run}",
                        callbacks: [new Pause(TimeSpan.FromMilliseconds(150))]);
                }
                sealed class Pause(TimeSpan each) : ITrainingCallback
                {
                    public void EpochEnded(TrainingContext context, EpochResult epoch) => System.Threading.Thread.Sleep(each);
                }
                """, csharp.Name));

            var failure = result.Events.OfType<CommandFailed>().FirstOrDefault();
            Assert.True(failure is null, failure?.Message);
            var progress = result.Events.OfType<DisplayEvent>()
                .Where(e => e.FormattedValues.Any(v => v.Value.Contains(NotebookProgress.CssClass, StringComparison.Ordinal))).ToList();
            var seconds = clock.Elapsed.TotalSeconds; // more than the progress clock, which starts with the first run
            Assert.Single(progress.OfType<DisplayedValueProduced>());
            var updates = progress.OfType<DisplayedValueUpdated>().Count();
            Assert.InRange(updates, 1, 2 + (int)Math.Ceiling(Math.Log2(seconds)));
            // Every progress event is a display or an update of the one output: none leaks into standard output as text.
            Assert.All(progress, e => Assert.IsNotType<StandardOutputValueProduced>(e));
            var last = progress.OfType<DisplayedValueUpdated>().Last().FormattedValues.First(v => v.MimeType == "text/html").Value;
            Assert.Equal(runs, last.Split($"class=\"{NotebookProgress.CssClass} done\"").Length - 1);
            Assert.Contains("run 12", last);
        }
        finally
        {
            TrainingProgress.Display = previous;
        }
    }
}
