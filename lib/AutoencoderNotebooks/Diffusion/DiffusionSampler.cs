using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>
/// Generates images with a trained noise predictor (chapter 9): DDIM (Song et al., 2021), deterministic and with
/// far fewer steps than training used, or DDPM's ancestral sampling (Ho et al., 2020) through every step.
/// Images come back in [0, 1].
/// </summary>
public sealed class DiffusionSampler(UNet model, NoiseSchedule schedule, string name = "diffusion") : IImageGenerator
{
    private readonly double[] alphaBars = schedule.AlphaBars();
    private readonly double[] betas = schedule.Betas();

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>DDIM steps <see cref="Sample(int, int)"/> uses.</summary>
    public int DefaultSteps { get; init; } = 20;

    /// <summary>
    /// Images per network call. TorchSharp frees a forward pass's intermediates only when its scope ends, so every
    /// activation of the UNet is alive at once: 100 images keep that under half a GB.
    /// </summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The hash of the network's model key (null for a network not trained by <c>AutoencoderRuns</c>: then nothing is remembered).</summary>
    public string? ModelKey { get; init; }

    /// <inheritdoc />
    public string? Identity => ModelKey is null ? null : $"DDIM key:{ModelKey}, {DefaultSteps} steps of {schedule}, batches of {BatchSize}";

    /// <inheritdoc />
    public Tensor Sample(int count, int seed) => Ddim(count, DefaultSteps, seed);

    /// <summary>
    /// DDIM with η = 0 over <paramref name="steps"/> evenly spaced steps from T − 1 down to 0: predict the noise,
    /// estimate x̂₀ = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t (clipped to [−1, 1]), and move to the next step along the same
    /// noise: x_s = √ᾱ_s x̂₀ + √(1 − ᾱ_s) ε̂. [count, 28, 28] in [0, 1].
    /// </summary>
    public Tensor Ddim(int count, int steps, int seed = 42, List<Tensor>? trajectory = null)
    {
        var times = schedule.DdimTimes(steps);
        using var generator = new Generator((ulong)seed);
        using var evaluation = new EvaluationMode(model);
        var parts = new List<Tensor>();
        using var outer = NewDisposeScope();
        NativeHeap.MarkResident();
        for (var start = 0; start < count; start += BatchSize)
        {
            var size = Math.Min(BatchSize, count - start);
            // x lives outside the per-step scopes and is replaced (and freed) at every step, so only one step's
            // images and activations are alive at a time.
            var x = randn(size, 28, 28, generator: generator).DetachFromDisposeScope();
            for (var i = 0; i < times.Length; i++)
            {
                using (NewDisposeScope())
                {
                    var t = times[i];
                    var epsilon = model.forward(x, full(size, t, dtype: ScalarType.Int64));
                    var x0 = ((x - epsilon * Math.Sqrt(1 - alphaBars[t])) / Math.Sqrt(alphaBars[t])).clamp(-1, 1);
                    var next = i + 1 < times.Length ? alphaBars[times[i + 1]] : 1.0;
                    var updated = i + 1 < times.Length ? x0 * Math.Sqrt(next) + epsilon * Math.Sqrt(1 - next) : x0;
                    if (start == 0 && trajectory is not null) trajectory.Add(PixelRange.ToUnit(x0).DetachFromDisposeScope());
                    x.Dispose();
                    x = updated.DetachFromDisposeScope();
                }
                NativeHeap.ReleaseIfGrown();
            }
            parts.Add(x);
        }
        var images = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return PixelRange.ToUnit(images).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// DDPM ancestral sampling through all T steps (Ho et al., 2020), one step being x_{t−1} = μ̃_t + √β̃_t z with
    /// z ~ N(0, I) (no noise at the last step); see <see cref="DdpmMean"/> for μ̃_t. T network calls per batch: slow,
    /// for a few images.
    /// </summary>
    public Tensor Ddpm(int count, int seed = 42)
    {
        using var generator = new Generator((ulong)seed);
        using var evaluation = new EvaluationMode(model);
        using var outer = NewDisposeScope();
        var x = randn(count, 28, 28, generator: generator).DetachFromDisposeScope();
        for (var t = schedule.Steps - 1; t >= 0; t--)
        {
            using var scope = NewDisposeScope();
            var mean = DdpmMean(x, model.forward(x, full(count, t, dtype: ScalarType.Int64)), t);
            var previous = t > 0 ? 1 - alphaBars[t - 1] : 0;
            var next = t > 0 ? mean + randn(count, 28, 28, generator: generator) * Math.Sqrt(previous / (1 - alphaBars[t]) * betas[t]) : mean;
            x.Dispose();
            x = next.DetachFromDisposeScope(); // one step's images alive at a time
        }
        using var last = x;
        return PixelRange.ToUnit(x.clamp(-1, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mean of one DDPM step from x_t and the predicted noise ε̂, in the posterior form (Ho et al., 2020, eq. 7):
    /// x̂₀ = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t, clipped to [−1, 1] when <paramref name="clip"/>, then
    /// μ̃_t = √ᾱ_{t−1} β_t/(1 − ᾱ_t) · x̂₀ + √α_t (1 − ᾱ_{t−1})/(1 − ᾱ_t) · x_t (ᾱ_{−1} = 1). Unclipped it equals the
    /// paper's (x_t − β_t/√(1 − ᾱ_t) ε̂)/√α_t exactly; clipped, an error in ε̂ cannot be magnified past the pixel
    /// range — without the clip, the cosine schedule's last steps (β_t up to 0.999, 1/√α_t up to 32) turned most
    /// samples into blank or saturated images.
    /// </summary>
    public Tensor DdpmMean(Tensor x, Tensor epsilon, int t, bool clip = true)
    {
        var x0 = (x - epsilon * Math.Sqrt(1 - alphaBars[t])) / Math.Sqrt(alphaBars[t]);
        if (clip) x0 = x0.clamp(-1, 1);
        var previous = t > 0 ? alphaBars[t - 1] : 1.0;
        return x0 * (Math.Sqrt(previous) * betas[t] / (1 - alphaBars[t])) + x * (Math.Sqrt(1 - betas[t]) * (1 - previous) / (1 - alphaBars[t]));
    }
}
