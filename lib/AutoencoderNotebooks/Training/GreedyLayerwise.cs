using AutoencoderNotebooks.Models;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Training;

/// <summary>One phase of greedy layer-wise training: the shallow autoencoder and how its training went. (chapter 2)</summary>
public sealed record GreedyPhase(StackedAutoencoder Autoencoder, TrainingHistory History);

/// <summary>
/// Training one autoencoder at a time (chapter 2; Géron 2nd ed., ch. 17, "Training One Autoencoder at a
/// Time"): the first shallow autoencoder learns to reconstruct the images; each next one learns to
/// reconstruct the previous one's codings. <see cref="StackedAutoencoder.Stack"/> then assembles them.
/// </summary>
public static class GreedyLayerwise
{
    /// <summary>Trains one shallow autoencoder per pair of consecutive <paramref name="sizes"/>.</summary>
    /// <param name="sizes">Layer sizes of the final encoder, e.g. [784, 100, 30].</param>
    /// <param name="hidden">Hidden activation.</param>
    /// <param name="inputs">Training images in [0, 1].</param>
    /// <param name="createOptimizer">Makes each phase's optimiser from its parameters.</param>
    /// <param name="options">Training options of every phase (labels get the phase number).</param>
    /// <param name="validation">Validation images, or null.</param>
    public static IReadOnlyList<GreedyPhase> Pretrain(
        int[] sizes,
        Activation hidden,
        Tensor inputs,
        Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> createOptimizer,
        TrainingOptions options,
        Tensor? validation = null)
    {
        var phases = new List<GreedyPhase>();
        var current = inputs;
        var currentValidation = validation;
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            var first = i == 0;
            var shallow = new StackedAutoencoder(new StackedAutoencoderConfig([sizes[i], sizes[i + 1]], hidden, first ? OutputKind.Sigmoid : OutputKind.Hidden));
            var loss = first ? AutoencoderLosses.BinaryCrossEntropy(shallow) : AutoencoderLosses.MeanSquaredError(shallow);
            var history = Trainer.Fit(shallow, createOptimizer(shallow.parameters()), loss, current, null,
                options with { Label = $"phase {i + 1} ({sizes[i]}-{sizes[i + 1]}-{sizes[i]})" }, currentValidation);
            phases.Add(new GreedyPhase(shallow, history));

            var next = shallow.EncodeAll(current);
            var nextValidation = currentValidation is null ? null : shallow.EncodeAll(currentValidation);
            if (!first)
            {
                current.Dispose();
                currentValidation?.Dispose();
            }
            current = next;
            currentValidation = nextValidation;
        }
        if (phases.Count > 1)
        {
            current.Dispose();
            currentValidation?.Dispose();
        }
        return phases;
    }
}
