using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>The sinusoidal encoding of the diffusion step (chapter 9).</summary>
public static class TimeEmbedding
{
    /// <summary>
    /// [N, <paramref name="size"/>]: for each step t, sin(t·ωᵢ) in the first half and cos(t·ωᵢ) in the second, with
    /// frequencies ωᵢ = 10000^(−i/(size/2 − 1)) from 1 down to 1/10000 (Vaswani et al., 2017; Ho et al., 2020).
    /// Nearby steps get similar vectors, distant ones different vectors.
    /// </summary>
    public static Tensor Sinusoidal(Tensor steps, int size)
    {
        if (size < 4 || size % 2 != 0) throw new ArgumentOutOfRangeException(nameof(size), size, "The embedding size must be even and at least 4.");
        using var scope = NewDisposeScope();
        var half = size / 2;
        var frequencies = exp(arange(half, dtype: ScalarType.Float32) * (-Math.Log(10000) / (half - 1)));
        var angles = steps.to_type(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        return cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();
    }
}
