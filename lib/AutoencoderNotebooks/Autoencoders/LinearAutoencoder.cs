using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>Sizes of a <see cref="LinearAutoencoder"/> (chapter 1).</summary>
/// <param name="Inputs">Input (and output) dimension.</param>
/// <param name="Codings">Coding dimension; smaller than <paramref name="Inputs"/> makes it undercomplete.</param>
public sealed record LinearAutoencoderConfig(int Inputs = 3, int Codings = 2);

/// <summary>
/// Chapter 1's autoencoder: one linear encoder layer and one linear decoder layer, no activation. Trained
/// with MSE it learns the same subspace as PCA.
/// </summary>
public sealed class LinearAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly Linear encoder;
    private readonly Linear decoder;

    /// <summary>Builds the two layers.</summary>
    public LinearAutoencoder(LinearAutoencoderConfig config) : base(nameof(LinearAutoencoder))
    {
        Config = config;
        encoder = Linear(config.Inputs, config.Codings);
        decoder = Linear(config.Codings, config.Inputs);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public LinearAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>The decoder's weight, [inputs, codings]: its columns span the learned subspace.</summary>
    public Tensor DecoderWeight => decoder.weight!;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => decoder.forward(encoder.forward(input));

    /// <inheritdoc />
    public Tensor Encode(Tensor inputs) => encoder.forward(inputs);

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => decoder.forward(codings);

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => forward(inputs);
}
