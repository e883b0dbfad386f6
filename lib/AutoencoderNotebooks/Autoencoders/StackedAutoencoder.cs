using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>What the last decoder layer outputs (chapter 2).</summary>
public enum OutputKind
{
    /// <summary>Pixel intensities: a sigmoid, trained with binary cross-entropy on logits.</summary>
    Sigmoid,

    /// <summary>The hidden activation (for reconstructing another autoencoder's codings).</summary>
    Hidden,

    /// <summary>No activation.</summary>
    Linear,
}

/// <summary>
/// Layer sizes and activation of a <see cref="StackedAutoencoder"/> (chapter 2): <c>[784, 100, 30]</c> is
/// the book's 784-100-30-100-784 network. SELU is the 2nd edition's choice, ReLU the 3rd's.
/// </summary>
public sealed record StackedAutoencoderConfig(int[] Sizes, Activation Hidden = Activation.Selu, OutputKind Output = OutputKind.Sigmoid)
{
    /// <summary>The book's stacked autoencoder: 784-100-30-100-784, SELU, sigmoid output.</summary>
    public static StackedAutoencoderConfig Book { get; } = new([784, 100, 30]);

    /// <summary>Size of the codings (the last encoder layer).</summary>
    public int Codings => Sizes[^1];

    /// <summary>Throws when the sizes cannot make a network.</summary>
    /// <exception cref="ArgumentException">Fewer than two sizes, or a size below 1.</exception>
    public void Validate()
    {
        if (Sizes.Length < 2 || Sizes.Any(s => s < 1))
            throw new ArgumentException($"Sizes needs at least two positive sizes; got [{string.Join(", ", Sizes)}].");
    }

    /// <inheritdoc />
    public override string ToString() => $"{string.Join("-", Sizes.Concat(Sizes.Reverse().Skip(1)))} {Hidden}";
}

/// <summary>
/// A stacked (deep) autoencoder of dense layers (chapter 2): the encoder narrows
/// <c>Sizes[0] → … → Sizes[^1]</c>, the decoder mirrors it. Accepts images [N, 28, 28] or flat
/// [N, 784] and returns the same shape; <see cref="Logits"/> gives the pre-sigmoid output for a stable
/// binary cross-entropy.
/// </summary>
public sealed class StackedAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel, IDenseAutoencoder
{
    private readonly ModuleList<Linear> encoder;
    private readonly ModuleList<Linear> decoder;

    /// <summary>Builds the layers for <paramref name="config"/>.</summary>
    public StackedAutoencoder(StackedAutoencoderConfig config) : base(nameof(StackedAutoencoder))
    {
        config.Validate();
        Config = config;
        var sizes = config.Sizes;
        encoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[i], sizes[i + 1])).ToArray());
        decoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[^(i + 1)], sizes[^(i + 2)])).ToArray());
        RegisterComponents();
    }

    /// <summary>The sizes and activations this model was built with.</summary>
    public StackedAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public IReadOnlyList<Linear> EncoderLayers => encoder.ToList();

    /// <summary>The decoder's dense layers, codings side first; the hidden activation follows each but the last, then <see cref="StackedAutoencoderConfig.Output"/> (chapter 4's explorer runs them in the page).</summary>
    public IReadOnlyList<Linear> DecoderLayers => decoder.ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Output(Logits(input));

    /// <summary>The decoder's output before the final sigmoid, in the input's shape.</summary>
    public Tensor Logits(Tensor input) => ImageShapes.Unflatten(DecodeFlat(Encode(input)), input.shape);

    /// <inheritdoc />
    public Tensor Encode(Tensor inputs) => Config.Hidden.Through(encoder, ImageShapes.Flatten(inputs));

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => Output(DecodeFlat(codings));

    /// <summary>
    /// Builds a deep autoencoder from shallow ones trained one at a time (greedy layer-wise training): their
    /// encoders in order, then their decoders in reverse order. Weights are copied.
    /// </summary>
    public static StackedAutoencoder Stack(IReadOnlyList<StackedAutoencoder> shallow, OutputKind output = OutputKind.Sigmoid)
    {
        if (shallow.Count == 0 || shallow.Any(s => s.Config.Sizes.Length != 2))
            throw new ArgumentException("Stack takes one or more shallow autoencoders (two sizes each).", nameof(shallow));
        for (var i = 1; i < shallow.Count; i++)
            if (shallow[i].Config.Sizes[0] != shallow[i - 1].Config.Sizes[1])
                throw new ArgumentException($"Autoencoder {i} expects {shallow[i].Config.Sizes[0]} inputs but autoencoder {i - 1} has {shallow[i - 1].Config.Sizes[1]} codings.", nameof(shallow));
        var sizes = shallow.Select(s => s.Config.Sizes[0]).Append(shallow[^1].Config.Sizes[1]).ToArray();
        var stacked = new StackedAutoencoder(new StackedAutoencoderConfig(sizes, shallow[0].Config.Hidden, output));
        using var noGrad = no_grad();
        for (var i = 0; i < shallow.Count; i++)
        {
            Copy(shallow[i].encoder[0], stacked.encoder[i]);
            Copy(shallow[i].decoder[0], stacked.decoder[shallow.Count - 1 - i]);
        }
        return stacked;
    }

    private static void Copy(Linear from, Linear to)
    {
        to.weight!.copy_(from.weight!);
        to.bias!.copy_(from.bias!);
    }

    private Tensor DecodeFlat(Tensor codings) => Config.Hidden.Through(decoder, codings, activateLast: false);

    private Tensor Output(Tensor logits) => Config.Output switch
    {
        OutputKind.Sigmoid => logits.sigmoid(),
        OutputKind.Hidden => Config.Hidden.Apply(logits),
        _ => logits,
    };
}
