using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Contractive;

/// <summary>Sizes of a <see cref="ContractiveAutoencoder"/> (chapter 7).</summary>
/// <param name="Codings">Units of the encoder's single sigmoid layer.</param>
/// <param name="DecoderHidden">Units of the decoder's SELU hidden layer.</param>
public sealed record ContractiveAutoencoderConfig(int Codings = 30, int DecoderHidden = 100)
{
    /// <summary>The course's network: 784 → 30 sigmoid codings → 100 SELU → 784.</summary>
    public static ContractiveAutoencoderConfig Course { get; } = new();
}

/// <summary>
/// An autoencoder whose encoder is one sigmoid layer h = σ(Wx + b) (chapter 7; Rifai et al., 2011), so the
/// Jacobian of the codings has a closed form: J = diag(h ⊙ (1 − h)) W. Trained with a penalty on ‖J‖²_F it
/// becomes a contractive autoencoder; with no penalty it is the plain autoencoder of the same size.
/// </summary>
public sealed class ContractiveAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly Linear encoder;
    private readonly Linear decoderHidden;
    private readonly Linear decoderPixels;

    /// <summary>Builds the layers.</summary>
    public ContractiveAutoencoder(ContractiveAutoencoderConfig config) : base(nameof(ContractiveAutoencoder))
    {
        Config = config;
        encoder = Linear(784, config.Codings);
        decoderHidden = Linear(config.Codings, config.DecoderHidden);
        decoderPixels = Linear(config.DecoderHidden, 784);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public ContractiveAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>The encoder's weight W, [codings, 784].</summary>
    public Tensor CodingWeight => encoder.weight!;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => DecodeLogits(Encode(inputs)).reshape(inputs.shape);

    /// <summary>h = σ(Wx + b), [N, codings].</summary>
    public Tensor Encode(Tensor inputs) => encoder.forward(inputs.reshape(inputs.shape[0], -1)).sigmoid();

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeLogits(codings).sigmoid();

    /// <summary>The decoder's pre-sigmoid output, [N, 784].</summary>
    public Tensor DecodeLogits(Tensor codings) => decoderPixels.forward(functional.selu(decoderHidden.forward(codings)));
}
