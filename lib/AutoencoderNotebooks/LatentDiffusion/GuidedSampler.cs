using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Diffusion;
using AutoencoderNotebooks.Evaluation;
using AutoencoderNotebooks.Platform;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>
/// Samples latent diffusion (chapter 10): DDIM (η = 0, chapter 9) in the first stage's latent space with
/// classifier-free guidance (Ho &amp; Salimans, 2022, eq. 6, in the form ε̂ = ε̂_∅ + w (ε̂_y − ε̂_∅)): w = 0 is the
/// unconditional model, w = 1 the conditional one, w &gt; 1 pushes further towards what makes the class the class.
/// The final latents are unscaled and decoded by the first stage. As an <see cref="IImageGenerator"/> it draws the
/// classes in turn (0, 1, …, 9, 0, …), so any 10·k samples are balanced over the classes.
/// </summary>
/// <param name="model">The (averaged) denoiser.</param>
/// <param name="firstStage">Decodes the latents.</param>
/// <param name="codes">The scale factor and the clipping range of the latents it was trained on.</param>
/// <param name="schedule">The schedule it was trained with.</param>
/// <param name="guidance">The guidance weight w.</param>
/// <param name="name">A name for tables.</param>
public sealed class GuidedSampler(LatentDenoiser model, LatentAutoencoder firstStage, LatentCodes codes, NoiseSchedule schedule, double guidance,
    string name) : IImageGenerator
{
    private readonly double[] alphaBars = schedule.AlphaBars();

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>The guidance weight w.</summary>
    public double Guidance { get; } = guidance;

    /// <summary>DDIM steps: 20 (chapter 9's count) unless set; chapter 10 samples with 10 (<c>CourseSettings.LatentSamplingSteps</c>).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>The range ẑ₀ is clipped to at every step: by default the largest magnitude of a scaled training latent (<see cref="LatentCodes.Limit"/>).</summary>
    public double Clip { get; init; } = codes.Limit;

    /// <summary>
    /// Latents per batch; a guided step calls the network on twice as many. A step's intermediates stay alive until its
    /// scope ends (about 30 maps of [2·250, 64, 7, 7] with the course's denoiser, ~200 MB): 500 took the chapter to 2 GB.
    /// </summary>
    public int BatchSize { get; init; } = 250;

    /// <summary>The hash of the denoiser's model key, which names the first stage's (null for one not trained by <c>AutoencoderRuns</c>: then nothing is remembered).</summary>
    public string? ModelKey { get; init; }

    /// <inheritdoc />
    /// <remarks>
    /// The default clipping range is named, not its value: it comes from the first stage's weights, which the key
    /// names, and pretrained mode's float16 copy of them moves it in the last digits.
    /// </remarks>
    public string? Identity => ModelKey is null ? null
        : $"guided DDIM key:{ModelKey}, w = {Guidance:R}, {Steps} steps of {schedule}, ẑ₀ clipped to {(Clip == codes.Limit ? "the training latents' range" : $"±{Clip:R}")}, batches of {BatchSize}, classes in turn";

    /// <summary>The same sampler with guidance <paramref name="weight"/>.</summary>
    public GuidedSampler WithGuidance(double weight, string? newName = null) =>
        new(model, firstStage, codes, schedule, weight, newName ?? NameFor(weight)) { Steps = Steps, BatchSize = BatchSize, Clip = Clip, ModelKey = ModelKey };

    /// <summary>The name a sampler with guidance <paramref name="weight"/> gets in tables unless given one.</summary>
    public static string NameFor(double weight) => $"latent diffusion, w = {weight:G3}";

    /// <summary>The classes <see cref="Sample"/> asks for: 0, 1, …, 9, 0, … (int64).</summary>
    public Tensor BalancedClasses(int count)
    {
        using var scope = NewDisposeScope();
        return arange(count, dtype: ScalarType.Int64).remainder(model.Config.Classes).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int count, int seed)
    {
        using var classes = BalancedClasses(count);
        return Images(classes, seed);
    }

    /// <summary>Images [N, 28, 28] in [0, 1] for the requested <paramref name="classes"/> [N], from noise seeded by <paramref name="seed"/>.</summary>
    public Tensor Images(Tensor classes, int seed = 42, List<Tensor>? trajectory = null)
    {
        using var scope = NewDisposeScope();
        var latents = Latents(classes, seed, trajectory);
        using var evaluation = new EvaluationMode(firstStage);
        return Inference.Batched(codes.Unscale(latents), BatchSize, firstStage.Decode).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sampled latents [N, channels, 7, 7] (scaled): start from z ~ N(0, I) and take <see cref="Steps"/> DDIM steps,
    /// each estimating ẑ₀ = (z_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t — clipped to ±<see cref="Clip"/> — and moving to
    /// z_s = √ᾱ_s ẑ₀ + √(1 − ᾱ_s) ε̂. With a <paramref name="trajectory"/>, the first batch's ẑ₀ at every step is
    /// decoded into it.
    /// </summary>
    public Tensor Latents(Tensor classes, int seed = 42, List<Tensor>? trajectory = null)
    {
        var times = schedule.DdimTimes(Steps);
        using var generator = new Generator((ulong)seed);
        using var evaluation = new EvaluationMode([model, firstStage]);
        var count = (int)classes.shape[0];
        var parts = new List<Tensor>();
        using var outer = NewDisposeScope();
        NativeHeap.MarkResident();
        for (var start = 0; start < count; start += BatchSize)
        {
            var size = Math.Min(BatchSize, count - start);
            var batchClasses = classes.narrow(0, start, size);
            var z = randn(new long[] { size }.Concat(firstStage.LatentShape).ToArray(), generator: generator).DetachFromDisposeScope();
            for (var i = 0; i < times.Length; i++)
            {
                using (NewDisposeScope())
                {
                    var t = times[i];
                    var epsilon = GuidedNoise(z, t, batchClasses);
                    var z0 = ((z - epsilon * Math.Sqrt(1 - alphaBars[t])) / Math.Sqrt(alphaBars[t])).clamp(-Clip, Clip);
                    var next = i + 1 < times.Length ? alphaBars[times[i + 1]] : 1.0;
                    var updated = i + 1 < times.Length ? z0 * Math.Sqrt(next) + epsilon * Math.Sqrt(1 - next) : z0;
                    if (start == 0 && trajectory is not null) trajectory.Add(firstStage.Decode(codes.Unscale(z0)).DetachFromDisposeScope());
                    z.Dispose();
                    z = updated.DetachFromDisposeScope();
                }
                NativeHeap.ReleaseIfGrown();
            }
            parts.Add(z);
        }
        var latents = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return latents.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ε̂ = ε̂_∅ + w (ε̂_y − ε̂_∅) at step <paramref name="t"/>: one network call on the batch twice over, once with the
    /// classes and once with "no class" (only the unconditional half when w = 0).
    /// </summary>
    public Tensor GuidedNoise(Tensor z, int t, Tensor classes)
    {
        var n = z.shape[0];
        var none = full(n, model.Config.NoClass, dtype: ScalarType.Int64);
        if (Guidance == 0) return model.forward(z, full(n, t, dtype: ScalarType.Int64), none);
        var both = model.forward(cat([z, z], 0), full(2 * n, t, dtype: ScalarType.Int64), cat([classes, none], 0)).chunk(2, 0);
        var (conditional, unconditional) = (both[0], both[1]);
        return unconditional + (conditional - unconditional) * Guidance;
    }
}
