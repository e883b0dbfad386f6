using static TorchSharp.torch;

namespace AutoencoderNotebooks.Data;

/// <summary>Chapter 1's 3D data set and the angles that generated it.</summary>
public sealed record ThreeDimensionalData(Tensor Points, Tensor Angles);

/// <summary>Synthetic data sets (chapter 1).</summary>
public static class SyntheticData
{
    /// <summary>
    /// Adapted from Géron's 3D data set (1st ed., ch. 15: 200 points, standardised; the 2nd ed. uses 60, centred; the book adds
    /// its noise to x₀ and x₁ before computing x₂): θ uniform in [−0.5, 3π/2 − 0.5),
    /// x₀ = cos θ + sin θ / 2, x₁ = 0.7 sin θ, x₂ = 0.1 x₀ + 0.3 x₁, each plus 0.1 × Gaussian noise,
    /// then standardised per column. Points lie close to a plane, so two dimensions capture them.
    /// </summary>
    public static ThreeDimensionalData ThreeDimensional(int count = 200, double noise = 0.1, int seed = 42)
    {
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var angles = rand(count, dtype: ScalarType.Float64, generator: generator) * (3 * Math.PI / 2) - 0.5;
        var x0 = angles.cos() + angles.sin() / 2;
        var x1 = angles.sin() * 0.7;
        var x2 = x0 * 0.1 + x1 * 0.3;
        var points = stack([x0, x1, x2], dim: 1) + randn(count, 3, dtype: ScalarType.Float64, generator: generator) * noise;
        var standardised = (points - points.mean([0])) / points.std(0);
        return new ThreeDimensionalData(
            standardised.to_type(ScalarType.Float32).MoveToOuterDisposeScope(),
            angles.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
    }
}
