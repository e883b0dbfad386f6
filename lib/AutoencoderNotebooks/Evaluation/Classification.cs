using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>Losses and accuracy for the classifiers of chapter 2's pretraining experiment.</summary>
public static class Classification
{
    /// <summary>
    /// Cross-entropy of class logits against integer labels (Keras' sparse categorical cross-entropy in the
    /// book), with the batch accuracy logged as the component <c>accuracy</c>.
    /// </summary>
    public static LossFunction CrossEntropy(nn.Module<Tensor, Tensor> model) => (inputs, labels) =>
    {
        var logits = model.forward(inputs);
        var loss = nn.functional.cross_entropy(logits, labels);
        using var noGrad = no_grad();
        return new LossTerms(loss, new Dictionary<string, Tensor> { ["accuracy"] = AccuracyOf(logits, labels) });
    };

    /// <summary>Share of samples whose highest logit is the label.</summary>
    public static Tensor AccuracyOf(Tensor logits, Tensor labels) =>
        logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean();

    /// <summary>Accuracy of <paramref name="model"/> on a labelled set, in eval mode without gradients.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels, int batchSize = 2000) =>
        Trainer.Evaluate(model, CrossEntropy(model), inputs, labels, batchSize).Components["accuracy"];
}
