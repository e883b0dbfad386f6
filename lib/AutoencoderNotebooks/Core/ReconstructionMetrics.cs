using static TorchSharp.torch;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// How well a model reconstructs a data set, measured as the book reports it (chapter 2): per-pixel binary
/// cross-entropy, per-pixel MSE, and rounded accuracy — the share of pixels where round(target) equals
/// round(output).
/// </summary>
public sealed record ReconstructionScores(double BinaryCrossEntropy, double MeanSquaredError, double RoundedAccuracy)
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="images"/> in eval mode, without gradients.</summary>
    public static ReconstructionScores Evaluate(nn.Module<Tensor, Tensor> model, Tensor images, int batchSize = 1000)
    {
        using var evaluation = new EvaluationMode(model);
        double bce = 0, mse = 0, accuracy = 0;
        var count = images.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, count - start);
            var target = images.narrow(0, start, size);
            var output = model.forward(target);
            bce += ReconstructionLoss.BinaryCrossEntropy(output, target).item<float>() * size;
            mse += ReconstructionLoss.MeanSquaredError(output, target).item<float>() * size;
            accuracy += RoundedAccuracyOf(output, target).item<float>() * size;
        }
        return new ReconstructionScores(bce / count, mse / count, accuracy / count);
    }

    /// <summary>
    /// Share of pixels whose rounded reconstruction equals the rounded target: the book's
    /// <c>rounded_accuracy</c> metric (Géron 2nd ed., ch. 17, "Implementing a Stacked Autoencoder Using Keras").
    /// </summary>
    public static Tensor RoundedAccuracyOf(Tensor output, Tensor target) =>
        output.round().eq(target.round()).to_type(ScalarType.Float32).mean();
}
