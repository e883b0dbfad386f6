using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>
/// A classifier made of a stacked autoencoder's encoder and a dense output layer (chapter 2, "Unsupervised
/// pretraining"). Start it from scratch, or copy a pretrained encoder in with <see cref="LoadEncoder"/>, then
/// train with the encoder frozen (<see cref="FreezeEncoder"/>) or fine-tuned. Returns class logits.
/// </summary>
public sealed class EncoderClassifier : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> encoder;
    private readonly Linear output;

    /// <summary>Builds an encoder shaped like <paramref name="encoderConfig"/>'s and a dense layer to <paramref name="classes"/> logits.</summary>
    public EncoderClassifier(StackedAutoencoderConfig encoderConfig, int classes) : base(nameof(EncoderClassifier))
    {
        encoderConfig.Validate();
        Config = encoderConfig;
        var sizes = encoderConfig.Sizes;
        encoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[i], sizes[i + 1])).ToArray());
        output = Linear(sizes[^1], classes);
        RegisterComponents();
    }

    /// <summary>The encoder's sizes and activation.</summary>
    public StackedAutoencoderConfig Config { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => output.forward(Config.Hidden.Through(encoder, ImageShapes.Flatten(input)));

    /// <summary>
    /// Copies the encoder weights of a trained dense autoencoder (stacked or tied) whose encoder has the same
    /// layer sizes and hidden activation as this classifier's.
    /// </summary>
    /// <exception cref="ArgumentException">Other sizes or another activation: the copied layers would compute something else.</exception>
    public void LoadEncoder(IDenseEncoder pretrained)
    {
        var source = pretrained.Config;
        if (!source.Sizes.SequenceEqual(Config.Sizes) || source.Hidden != Config.Hidden)
            throw new ArgumentException($"The autoencoder's encoder is [{string.Join(", ", source.Sizes)}] with {source.Hidden}; " +
                $"this classifier's is [{string.Join(", ", Config.Sizes)}] with {Config.Hidden}. Build the classifier from the autoencoder's config.", nameof(pretrained));
        using var noGrad = no_grad();
        for (var i = 0; i < encoder.Count; i++)
        {
            encoder[i].weight!.copy_(pretrained.EncoderLayers[i].weight!);
            encoder[i].bias!.copy_(pretrained.EncoderLayers[i].bias!);
        }
    }

    /// <summary>Freezes (no gradients) or unfreezes the encoder layers.</summary>
    public void FreezeEncoder(bool frozen)
    {
        foreach (var parameter in encoder.parameters()) parameter.requires_grad = !frozen;
    }

    /// <summary>The parameters that currently train: pass these to the optimiser.</summary>
    public IEnumerable<Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);
}
