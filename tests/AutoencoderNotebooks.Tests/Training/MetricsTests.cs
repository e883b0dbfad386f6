using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class MetricsTests
{
    private sealed class Fixed(Tensor output) : nn.Module<Tensor, Tensor>("fixed")
    {
        public override Tensor forward(Tensor input) => output.narrow(0, 0, input.shape[0]);
    }

    [Fact]
    public void Scores_match_closed_forms()
    {
        var target = tensor(new float[,] { { 0f, 1f, 0.4f, 0.6f } });
        var output = tensor(new float[,] { { 0.5f, 0.5f, 0.4f, 0.2f } });
        var scores = ReconstructionScores.Evaluate(new Fixed(output), target);

        var expectedBce = -(Math.Log(0.5) + Math.Log(0.5) + (0.4 * Math.Log(0.4) + 0.6 * Math.Log(0.6)) + (0.6 * Math.Log(0.2) + 0.4 * Math.Log(0.8))) / 4;
        Assert.Equal(expectedBce, scores.BinaryCrossEntropy, 5);
        Assert.Equal((0.25 + 0.25 + 0 + 0.16) / 4, scores.MeanSquaredError, 6);
        // round: target 0,1,0,1 vs output 0,0,0,0 (0.5 rounds to even) → 2 of 4 agree.
        Assert.Equal(0.5, scores.RoundedAccuracy, 6);
    }

    [Fact]
    public void Bce_with_logits_equals_bce_of_the_sigmoid()
    {
        manual_seed(8);
        var logits = randn(10, 784) * 3;
        var target = rand(10, 784);
        Assert.Equal(ReconstructionLoss.BinaryCrossEntropy(logits.sigmoid(), target).item<float>(),
                     ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, target).item<float>(), 4);
    }

    [Fact]
    public void Accuracy_counts_correct_argmax()
    {
        var logits = tensor(new float[,] { { 2, 1 }, { 0, 3 }, { 5, 1 } });
        Assert.Equal(2 / 3f, Classification.AccuracyOf(logits, tensor(new long[] { 0, 1, 1 })).item<float>(), 6);
    }
}
