using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>
/// A stacked autoencoder with tied weights (chapter 2): each decoder layer reuses the transpose of the
/// matching encoder weight and has only its own bias, so the model has about half the parameters and each
/// shared weight receives gradients from both its encoder and its decoder use.
/// </summary>
public sealed class TiedAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel, IDenseEncoder
{
    private readonly ModuleList<Linear> encoder;
    private readonly ParameterList decoderBiases;

    /// <summary>Builds the encoder layers and one bias per decoder layer.</summary>
    public TiedAutoencoder(StackedAutoencoderConfig config) : base(nameof(TiedAutoencoder))
    {
        config.Validate();
        Config = config;
        var sizes = config.Sizes;
        encoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[i], sizes[i + 1])).ToArray());
        decoderBiases = new ParameterList(Enumerable.Range(0, sizes.Length - 1).Select(i => new Parameter(zeros(sizes[^(i + 2)]))).ToArray());
        RegisterComponents();
    }

    /// <summary>The sizes and activations this model was built with.</summary>
    public StackedAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public IReadOnlyList<Linear> EncoderLayers => encoder.ToList();

    /// <summary>The encoder's weights, input side first; the decoder uses their transposes.</summary>
    public IReadOnlyList<Parameter> SharedWeights => encoder.Select(l => l.weight!).ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor input) => ImageShapes.Unflatten(DecodeFlat(Encode(input)), input.shape);

    /// <inheritdoc />
    public Tensor Encode(Tensor inputs) => Config.Hidden.Through(encoder, ImageShapes.Flatten(inputs));

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeFlat(codings).sigmoid();

    private Tensor DecodeFlat(Tensor codings)
    {
        var x = codings;
        for (var i = 0; i < encoder.Count; i++)
        {
            var tied = encoder[encoder.Count - 1 - i].weight!;
            x = functional.linear(x, tied.t(), decoderBiases[i]);
            if (i < encoder.Count - 1) x = Config.Hidden.Apply(x);
        }
        return x;
    }
}
