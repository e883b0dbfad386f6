using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

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
    /// <param name="settings">Training settings of every phase (labels get the phase number).</param>
    /// <param name="validation">Validation images, or null.</param>
    public static IReadOnlyList<GreedyPhase> Pretrain(int[] sizes, Activation hidden, Tensor inputs, FitSettings settings, Tensor? validation = null)
    {
        var phases = new List<GreedyPhase>();
        var current = inputs;
        var currentValidation = validation;
        try
        {
            for (var i = 0; i + 1 < sizes.Length; i++)
            {
                var first = i == 0;
                var shallow = new StackedAutoencoder(new StackedAutoencoderConfig([sizes[i], sizes[i + 1]], hidden, first ? OutputKind.Sigmoid : OutputKind.Hidden));
                var objective = first ? Objective.BinaryCrossEntropy : Objective.MeanSquaredError;
                using (var step = ModelStep.Training(shallow, settings, objective))
                {
                    var history = Trainer.Fit(step, current, null, settings, $"phase {i + 1} ({sizes[i]}-{sizes[i + 1]}-{sizes[i]})", currentValidation);
                    phases.Add(new GreedyPhase(shallow, history));
                }
                if (i + 2 == sizes.Length) break; // the last phase's codings feed nothing

                var next = shallow.EncodeAll(current);
                var nextValidation = currentValidation is null ? null : shallow.EncodeAll(currentValidation);
                DisposeCodings(current, currentValidation, inputs, validation);
                (current, currentValidation) = (next, nextValidation);
            }
        }
        finally
        {
            DisposeCodings(current, currentValidation, inputs, validation);
        }
        return phases;
    }

    // Codings computed here are ours to dispose; the caller's images are not.
    private static void DisposeCodings(Tensor current, Tensor? currentValidation, Tensor inputs, Tensor? validation)
    {
        if (!ReferenceEquals(current, inputs)) current.Dispose();
        if (currentValidation is not null && !ReferenceEquals(currentValidation, validation)) currentValidation.Dispose();
    }
}
