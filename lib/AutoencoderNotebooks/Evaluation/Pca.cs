using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>
/// Principal component analysis by SVD (chapter 1), the baseline a linear autoencoder is compared with.
/// </summary>
public sealed class Pca : IDisposable
{
    private Pca(Tensor mean, Tensor components, Tensor explainedVariance)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = explainedVariance;
    }

    /// <summary>Per-feature mean removed before projecting, [d].</summary>
    public Tensor Mean { get; }

    /// <summary>Principal directions as rows, [k, d], orthonormal, by decreasing variance.</summary>
    public Tensor Components { get; }

    /// <summary>Variance along each component, [k].</summary>
    public Tensor ExplainedVariance { get; }

    /// <summary>Fits the top <paramref name="components"/> principal directions of the rows of <paramref name="data"/>.</summary>
    public static Pca Fit(Tensor data, int components)
    {
        if (components < 1 || components > data.shape[1])
            throw new ArgumentOutOfRangeException(nameof(components), components, $"must be between 1 and {data.shape[1]}.");
        using var scope = NewDisposeScope();
        var mean = data.mean([0]);
        var (_, s, vh) = linalg.svd(data - mean, fullMatrices: false);
        var variance = s.narrow(0, 0, components).square() / (data.shape[0] - 1);
        return new Pca(mean.MoveToOuterDisposeScope(), vh.narrow(0, 0, components).clone().MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }

    /// <summary>Coordinates of <paramref name="data"/> along the components, [n, k].</summary>
    public Tensor Transform(Tensor data) => (data - Mean).mm(Components.t());

    /// <summary>Back from component coordinates to the original space, [n, d].</summary>
    public Tensor InverseTransform(Tensor projected) => projected.mm(Components) + Mean;

    /// <summary>Projects onto the components and back: PCA's reconstruction.</summary>
    public Tensor Reconstruct(Tensor data)
    {
        using var projected = Transform(data);
        return InverseTransform(projected);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Mean.Dispose();
        Components.Dispose();
        ExplainedVariance.Dispose();
    }
}
