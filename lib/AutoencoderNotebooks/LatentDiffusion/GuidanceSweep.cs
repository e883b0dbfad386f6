using System.Diagnostics;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>One guidance weight's samples, scored with chapter 8's yardstick (chapter 10).</summary>
/// <param name="Guidance">The weight w.</param>
/// <param name="Agreement">Share of samples the yardstick's classifier assigns to the class they were asked for.</param>
/// <param name="Score">Classes found and the largest class's share (first 1,000 samples, as chapters 8 and 9 count them) and the Fréchet distance (all).</param>
/// <param name="Seconds">Time to draw the samples.</param>
public sealed record GuidanceRow(double Guidance, double Agreement, GeneratorScore Score, double Seconds);

/// <summary>
/// The guidance sweep (chapter 10): the same noise and the same balanced classes sampled at several weights w, so
/// the trade-off shows — agreement with the requested class rises with w while variety (classes found unguided,
/// Fréchet distance) first improves, then suffers.
/// </summary>
public static class GuidanceSweep
{
    /// <summary>
    /// Scores <paramref name="count"/> samples of <paramref name="sampler"/> at every weight of <paramref name="weights"/>;
    /// a row the yardstick's memory holds is read instead (with the sampling time it was measured with).
    /// </summary>
    public static IReadOnlyList<GuidanceRow> Run(GuidedSampler sampler, GeneratorYardstick yardstick, IEnumerable<double> weights, int count = 5000, int seed = 42)
    {
        var rows = new List<GuidanceRow>();
        foreach (var weight in weights)
        {
            var guided = sampler.WithGuidance(weight);
            rows.Add(yardstick.Remembered(guided, $"guidance row of {count} samples, seed {seed}", () =>
            {
                using var scope = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                var images = guided.Sample(count, seed);
                var seconds = watch.Elapsed.TotalSeconds;
                var agreement = yardstick.Agreement(images, guided.BalancedClasses(count));
                return new GuidanceRow(weight, agreement, yardstick.Score(guided.Name, images), seconds);
            }));
        }
        return rows;
    }
}
