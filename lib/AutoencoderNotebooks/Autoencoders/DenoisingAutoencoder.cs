using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>A stacked autoencoder and the corruption it trains with (chapter 4).</summary>
/// <param name="Stack">The autoencoder's layers (the book: 784-100-30, SELU).</param>
/// <param name="Corruption">Applied to the inputs in training mode only.</param>
public sealed record DenoisingAutoencoderConfig(StackedAutoencoderConfig Stack, Corruption Corruption)
{
    /// <summary>The book's Gaussian-noise denoiser: 784-100-30, SELU, noise σ = 0.2.</summary>
    public static DenoisingAutoencoderConfig BookGaussian { get; } = new(StackedAutoencoderConfig.Book, Corruption.Gaussian(0.2));

    /// <summary>The book's dropout denoiser: 784-100-30, SELU, dropout 0.5.</summary>
    public static DenoisingAutoencoderConfig BookDropout { get; } = new(StackedAutoencoderConfig.Book, Corruption.Dropout(0.5));
}

/// <summary>
/// A denoising autoencoder (chapter 4; Vincent et al., 2008; Géron ch. 17, "Denoising Autoencoders"): a
/// corruption layer in front of a stacked autoencoder. Trained with the clean images as targets, it must undo
/// the corruption; in eval mode the corruption is off, so it scores and encodes clean images.
/// </summary>
public sealed class DenoisingAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel, IDenseAutoencoder
{
    private readonly Module<Tensor, Tensor> corruption;
    private readonly StackedAutoencoder autoencoder;

    /// <summary>Builds the corruption and the autoencoder.</summary>
    public DenoisingAutoencoder(DenoisingAutoencoderConfig config) : base(nameof(DenoisingAutoencoder))
    {
        Config = config;
        corruption = config.Corruption.CreateModule();
        autoencoder = new StackedAutoencoder(config.Stack);
        RegisterComponents();
    }

    /// <summary>The layers and the corruption this model was built with.</summary>
    public DenoisingAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    StackedAutoencoderConfig IDenseEncoder.Config => Config.Stack;

    /// <inheritdoc />
    public IReadOnlyList<Linear> EncoderLayers => autoencoder.EncoderLayers;

    /// <summary>The decoder's dense layers, codings side first (the corruption acts only in training, so in eval mode the model is these two stacks).</summary>
    public IReadOnlyList<Linear> DecoderLayers => autoencoder.DecoderLayers;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => autoencoder.forward(corruption.forward(input));

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => autoencoder.Logits(corruption.forward(inputs));

    /// <inheritdoc />
    public Tensor Encode(Tensor inputs) => autoencoder.Encode(corruption.forward(inputs));

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => autoencoder.Decode(codings);
}
