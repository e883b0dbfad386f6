using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Sparse;

/// <summary>Sizes and noise of a <see cref="HashingAutoencoder"/> (chapter 5).</summary>
/// <param name="Hidden">Units of the SELU layers around the coding layer.</param>
/// <param name="Bits">Sigmoid coding units: the hash's length.</param>
/// <param name="NoiseSigma">Standard deviation of the Gaussian noise added to the coding layer's pre-activations in training.</param>
public sealed record HashingAutoencoderConfig(int Hidden = 100, int Bits = 16, double NoiseSigma = 15)
{
    /// <summary>The book's semantic-hashing autoencoder (3rd edition): 784-100-16 with noise σ = 15.</summary>
    public static HashingAutoencoderConfig Book { get; } = new();
}

/// <summary>
/// An autoencoder for semantic hashing (chapter 5; Salakhutdinov &amp; Hinton, 2009; Géron 3rd ed., ch. 17): a
/// few sigmoid codings with strong Gaussian noise added just before the sigmoid in training. To get its message
/// through the noise the encoder drives the pre-activations far from zero, so the codings end up near 0 or 1 and
/// rounding them gives a binary hash in which similar images share bits.
/// </summary>
public sealed class HashingAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly Linear encoderHidden;
    private readonly Linear encoderCodings;
    private readonly GaussianNoise noise;
    private readonly Linear decoderHidden;
    private readonly Linear decoderPixels;

    /// <summary>Builds the layers.</summary>
    public HashingAutoencoder(HashingAutoencoderConfig config) : base(nameof(HashingAutoencoder))
    {
        if (config.Bits is < 1 or > 62) throw new ArgumentOutOfRangeException(nameof(config), config.Bits, "Bits must be between 1 and 62 (a hash is a long).");
        Config = config;
        encoderHidden = Linear(784, config.Hidden);
        encoderCodings = Linear(config.Hidden, config.Bits);
        noise = new GaussianNoise(config.NoiseSigma);
        decoderHidden = Linear(config.Bits, config.Hidden);
        decoderPixels = Linear(config.Hidden, 784);
        RegisterComponents();
    }

    /// <summary>The sizes and noise this model was built with.</summary>
    public HashingAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => DecodeLogits(Encode(inputs)).reshape(inputs.shape);

    /// <summary>Codings in (0, 1); noisy in training mode, clean in eval mode. [N, bits]</summary>
    public Tensor Encode(Tensor inputs) =>
        noise.forward(encoderCodings.forward(functional.selu(encoderHidden.forward(inputs.reshape(inputs.shape[0], -1))))).sigmoid();

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeLogits(codings).sigmoid();

    private Tensor DecodeLogits(Tensor codings) => decoderPixels.forward(functional.selu(decoderHidden.forward(codings)));
}
