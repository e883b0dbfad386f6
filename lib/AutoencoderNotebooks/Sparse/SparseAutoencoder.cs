using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Sparse;

/// <summary>Sizes of a <see cref="SparseAutoencoder"/> (chapter 5).</summary>
/// <param name="Sizes">Encoder sizes; the last is the (large) sigmoid coding layer, e.g. [784, 100, 300].</param>
/// <param name="Hidden">Activation of the other hidden layers.</param>
public sealed record SparseAutoencoderConfig(int[] Sizes, Activation Hidden = Activation.Selu)
{
    /// <summary>The book's sparse autoencoder: 784-100-300 with sigmoid codings, mirrored by the decoder.</summary>
    public static SparseAutoencoderConfig Book { get; } = new([784, 100, 300]);
}

/// <summary>
/// An autoencoder with a wide sigmoid coding layer (chapter 5; Géron ch. 17, "Sparse Autoencoders"): codings in
/// (0, 1) read as activation levels, so a penalty can push their mean down. The loss needs the codings and the
/// reconstruction of one forward pass: <see cref="Encode"/> then <see cref="DecodeLogits"/>.
/// </summary>
public sealed class SparseAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly ModuleList<Linear> encoder;
    private readonly ModuleList<Linear> decoder;

    /// <summary>Builds the layers.</summary>
    public SparseAutoencoder(SparseAutoencoderConfig config) : base(nameof(SparseAutoencoder))
    {
        if (config.Sizes.Length < 2 || config.Sizes.Any(s => s < 1))
            throw new ArgumentException($"Sizes needs at least two positive sizes; got [{string.Join(", ", config.Sizes)}].", nameof(config));
        Config = config;
        var sizes = config.Sizes;
        encoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[i], sizes[i + 1])).ToArray());
        decoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[^(i + 1)], sizes[^(i + 2)])).ToArray());
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public SparseAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => DecodeLogits(Encode(inputs)).reshape(inputs.shape);

    /// <summary>Codings in (0, 1): the hidden layers, then a sigmoid coding layer. [N, codings]</summary>
    public Tensor Encode(Tensor inputs)
    {
        var hidden = Config.Hidden.Through(encoder.Take(encoder.Count - 1), inputs.reshape(inputs.shape[0], -1));
        return encoder[encoder.Count - 1].forward(hidden).sigmoid();
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeLogits(codings).sigmoid();

    /// <summary>The decoder's pre-sigmoid output for <paramref name="codings"/>, [N, 784].</summary>
    public Tensor DecodeLogits(Tensor codings) => Config.Hidden.Through(decoder, codings, activateLast: false);
}
