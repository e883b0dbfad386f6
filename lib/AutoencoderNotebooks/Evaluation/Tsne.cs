using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>Settings of <see cref="Tsne.Embed"/> (chapter 2); the defaults follow scikit-learn's, but with 600 iterations instead of 1,000, which is plenty for maps of autoencoder codings.</summary>
/// <param name="Perplexity">Effective number of neighbours each point attends to.</param>
/// <param name="Iterations">Gradient steps in all.</param>
/// <param name="ExaggerationIterations">Initial steps with the attractive forces multiplied by <paramref name="EarlyExaggeration"/>.</param>
/// <param name="EarlyExaggeration">Factor on the attractive forces early on, which lets clusters form.</param>
/// <param name="LearningRate">Step size; null picks max(N / exaggeration / 4, 50) as scikit-learn's "auto" does.</param>
/// <param name="Seed">Seeds the initial layout.</param>
public sealed record TsneOptions(
    double Perplexity = 30,
    int Iterations = 600,
    int ExaggerationIterations = 250,
    double EarlyExaggeration = 12,
    double? LearningRate = null,
    int Seed = 42);

/// <summary>
/// Exact-gradient t-SNE (van der Maaten &amp; Hinton, 2008) on TorchSharp (chapter 2), used to map
/// autoencoder codings to 2D. Input affinities use the 3 × perplexity nearest neighbours (as Barnes-Hut
/// t-SNE does); the repulsive forces are computed over all pairs, block by block, with in-place operations
/// on preallocated buffers so an N × N temporary never exists. 5,000 points take well under a minute on 2 cores.
/// </summary>
public static class Tsne
{
    private const int BlockRows = 256;

    /// <summary>Embeds the rows of <paramref name="data"/> ([N, D]) in 2D; returns [N, 2] float32.</summary>
    public static Tensor Embed(Tensor data, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        var n = data.shape[0];
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 points; got {n}.", nameof(data));
        var perplexity = Math.Min(options.Perplexity, (n - 1) / 3.0);
        var learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);

        using var scope = NewDisposeScope();
        var x = data.to_type(ScalarType.Float32).reshape(n, -1);
        var (rows, cols, p) = NeighbourAffinities(x, perplexity);

        using var generator = new Generator((ulong)options.Seed);
        var y = randn(n, 2, generator: generator).mul_(1e-4);
        var update = zeros_like(y);
        var gains = ones_like(y);
        var buffer = empty(BlockRows, n);
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            using var step = NewDisposeScope();
            var exaggeration = iteration < options.ExaggerationIterations ? options.EarlyExaggeration : 1.0;
            var momentum = iteration < options.ExaggerationIterations ? 0.5 : 0.8;
            var gradient = Gradient(y, rows, cols, p, exaggeration, buffer);

            // Delta-bar-delta gains, as in the reference implementation.
            var sameSign = gradient.sign().eq(update.sign());
            gains.copy_(where(sameSign, gains * 0.8, gains + 0.2).clamp_(min: 0.01));
            update.mul_(momentum).add_(gains * gradient, alpha: -learningRate);
            y.add_(update);
            y.sub_(y.mean([0], keepdim: true));
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Symmetric input affinities p_ij over each point's 3 × perplexity nearest neighbours, as a sparse
    /// list of (row, column, value) sorted by row then column, that sums to 1; no N × N matrix is formed.
    /// </summary>
    internal static (Tensor Rows, Tensor Cols, Tensor Values) NeighbourAffinities(Tensor x, double perplexity)
    {
        using var scope = NewDisposeScope();
        var n = x.shape[0];
        var k = (int)Math.Min(n - 1, Math.Ceiling(3 * perplexity));
        var squaredNorms = x.square().sum(1);
        var distances = new List<Tensor>();
        var neighbours = new List<Tensor>();
        for (long start = 0; start < n; start += BlockRows)
        {
            using var block = NewDisposeScope(); // a block's N-wide temporaries go at once
            var size = Math.Min(BlockRows, n - start);
            var d = squaredNorms.unsqueeze(0).expand(size, n).clone();
            d.add_(squaredNorms.narrow(0, start, size).unsqueeze(1)).addmm_(x.narrow(0, start, size), x.t(), beta: 1, alpha: -2).clamp_(min: 0);
            d.narrow(1, start, size).diagonal().fill_(float.PositiveInfinity);
            var (nearest, indices) = d.topk(k, dim: 1, largest: false);
            distances.Add(nearest.MoveToOuterDisposeScope());
            neighbours.Add(indices.MoveToOuterDisposeScope());
        }
        var dist = cat(distances, 0).to_type(ScalarType.Float64);
        var index = cat(neighbours, 0);

        // Per-row binary search for the precision whose conditional distribution has the target entropy. Each
        // iteration's N × k temporaries are freed as it ends (64 iterations would otherwise pile up gigabytes).
        var target = Math.Log(perplexity);
        var beta = ones(n, 1, dtype: ScalarType.Float64);
        var low = full(n, 1, double.NegativeInfinity, dtype: ScalarType.Float64);
        var high = full(n, 1, double.PositiveInfinity, dtype: ScalarType.Float64);
        var shifted = dist - dist.narrow(1, 0, 1);
        var conditional = empty_like(shifted);
        for (var i = 0; i < 64; i++)
        {
            using var iteration = NewDisposeScope();
            var weights = (-shifted * beta).exp();
            var total = weights.sum(1, keepdim: true);
            conditional.copy_(weights / total);
            var entropy = total.log() + beta * (shifted * conditional).sum(1, keepdim: true);
            var tooFlat = entropy > target; // entropy too high: sharpen (raise beta)
            low.copy_(where(tooFlat, beta, low));
            high.copy_(where(tooFlat, high, beta));
            beta.copy_(where(high.isinf(), beta * 2, where(low.isinf(), beta / 2, (low + high) / 2)));
        }

        // P = (P_cond + P_condᵀ) / 2N as a list of pairs: each (i, j, p_j|i) also stands as (j, i, p_j|i);
        // duplicate pairs are summed through their linear index i·N + j. Memory stays O(N·k).
        var pairRows = arange(n).unsqueeze(1).expand(n, k).reshape(-1);
        var pairCols = index.reshape(-1);
        var pairValues = conditional.reshape(-1);
        var linear = cat([pairRows * n + pairCols, pairCols * n + pairRows]);
        var (unique, inverse, _) = linear.unique(sorted: true, return_inverse: true);
        var values = zeros(unique.shape[0], dtype: ScalarType.Float64)
            .index_add_(0, inverse!, cat([pairValues, pairValues]), 1)
            .div_(2.0 * n).to_type(ScalarType.Float32);
        var rows = unique.div(n, rounding_mode: RoundingMode.floor);
        var cols = unique.remainder(n);
        return (rows.MoveToOuterDisposeScope(), cols.MoveToOuterDisposeScope(), values.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹: attractive part over the sparse
    /// neighbour pairs, repulsive part over all pairs in row blocks.
    /// </summary>
    internal static Tensor Gradient(Tensor y, Tensor rows, Tensor cols, Tensor p, double exaggeration, Tensor buffer)
    {
        var n = y.shape[0];
        var diff = y.index_select(0, rows) - y.index_select(0, cols);
        var attractiveWeights = p * exaggeration / (diff.square().sum(1) + 1);
        var attractive = zeros_like(y).index_add_(0, rows, diff * attractiveWeights.unsqueeze(1), 1);

        // 1 + ‖y_i − y_j‖² for a whole block in one matrix product: [y_i, ‖y_i‖², 1]·[−2y_j, 1, ‖y_j‖² + 1]ᵀ.
        var squaredNorms = y.square().sum(1, keepdim: true);
        var left = cat([y, squaredNorms, ones_like(squaredNorms)], 1);
        var right = cat([y * -2, ones_like(squaredNorms), squaredNorms + 1], 1).t();
        var (column0, column1) = (y.select(1, 0).contiguous(), y.select(1, 1).contiguous());
        var repulsive = empty_like(y);
        double normaliser = 0;
        for (long start = 0; start < n; start += buffer.shape[0])
        {
            var size = Math.Min(buffer.shape[0], n - start);
            var kernel = buffer.narrow(0, 0, size);
            kernel.addmm_(left.narrow(0, start, size), right, beta: 0, alpha: 1).reciprocal_();
            kernel.narrow(1, start, size).diagonal().fill_(0);
            normaliser += kernel.sum().item<float>();
            kernel.mul_(kernel);
            // Σ_j k²_ij (y_i − y_j); matrix-vector products are much faster here than a product with an N × 2 matrix.
            var weighted = stack([kernel.mv(column0), kernel.mv(column1)], 1);
            var block = y.narrow(0, start, size);
            repulsive.narrow(0, start, size).copy_(block * kernel.sum(1, keepdim: true) - weighted);
        }
        return attractive.add_(repulsive, alpha: -1 / normaliser).mul_(4);
    }
}
