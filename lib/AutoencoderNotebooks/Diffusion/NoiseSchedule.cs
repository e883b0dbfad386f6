using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>How the noise variance grows over the diffusion steps (chapter 9).</summary>
public enum ScheduleKind
{
    /// <summary>β from 10⁻⁴ to 0.02, linearly (Ho et al., 2020).</summary>
    Linear,

    /// <summary>ᾱ_t = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2), s = 0.008 (Nichol &amp; Dhariwal, 2021): the book's choice.</summary>
    Cosine,
}

/// <summary>
/// The forward (noising) process of a diffusion model (chapter 9): T steps with variances β_t, α_t = 1 − β_t and
/// ᾱ_t = Πₛ≤ₜ αₛ, so that q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I). Steps are numbered 0 … T − 1; step t has
/// applied t + 1 noising steps.
/// </summary>
public sealed record NoiseSchedule(int Steps, ScheduleKind Kind)
{
    /// <summary>The book's schedule, cosine, with the course's T = 1,000 (the book: 4,000).</summary>
    public static NoiseSchedule Course { get; } = new(1000, ScheduleKind.Cosine);

    /// <summary>ᾱ_t for t = 0 … T − 1, decreasing in (0, 1], float64.</summary>
    public double[] AlphaBars() => Kind switch
    {
        ScheduleKind.Linear => Cumulative(Enumerable.Range(0, Steps).Select(t => 1 - (1e-4 + (0.02 - 1e-4) * t / Math.Max(1, Steps - 1))).ToArray()),
        ScheduleKind.Cosine => CosineAlphaBars(),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>
    /// The steps DDIM visits with <paramref name="steps"/> network calls: evenly spaced from T − 1 down to 0 (chapters 9
    /// and 10).
    /// </summary>
    public int[] DdimTimes(int steps)
    {
        if (steps < 1 || steps > Steps) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"DDIM needs between 1 and {Steps} steps.");
        return Enumerable.Range(0, steps).Select(i => (int)Math.Round((Steps - 1) * (1 - (double)i / steps))).Distinct().ToArray();
    }

    /// <summary>β_t = 1 − ᾱ_t / ᾱ_{t−1} (with ᾱ_{−1} = 1).</summary>
    public double[] Betas()
    {
        var alphaBars = AlphaBars();
        return alphaBars.Select((a, t) => 1 - a / (t == 0 ? 1 : alphaBars[t - 1])).ToArray();
    }

    /// <summary>x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε for each row's step t: a sample of q(x_t | x_0) in one go.</summary>
    public static Tensor Noise(Tensor x0, Tensor noise, Tensor alphaBarsAtT)
    {
        var shape = new long[] { x0.shape[0] }.Concat(Enumerable.Repeat(1L, (int)x0.dim() - 1)).ToArray();
        var a = alphaBarsAtT.reshape(shape);
        return x0 * a.sqrt() + noise * (1 - a).sqrt();
    }

    private double[] CosineAlphaBars()
    {
        const double s = 0.008;
        double F(double t) => Math.Pow(Math.Cos((t / Steps + s) / (1 + s) * Math.PI / 2), 2);
        var values = new double[Steps];
        var previous = 1.0;
        for (var t = 0; t < Steps; t++)
        {
            // Clip β at 0.999 as Nichol & Dhariwal do, so the last steps stay finite.
            var alphaBar = F(t + 1) / F(0);
            var beta = Math.Min(1 - alphaBar / previous, 0.999);
            values[t] = previous * (1 - beta);
            previous = values[t];
        }
        return values;
    }

    private static double[] Cumulative(double[] alphas)
    {
        var result = new double[alphas.Length];
        var product = 1.0;
        for (var t = 0; t < alphas.Length; t++) result[t] = product *= alphas[t];
        return result;
    }
}
