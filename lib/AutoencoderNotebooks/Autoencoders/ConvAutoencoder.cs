using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>Channels and activation of a <see cref="ConvAutoencoder"/> (chapter 3).</summary>
/// <param name="Channels">Feature maps of each encoder convolution; each is followed by 2×2 max pooling.</param>
/// <param name="Hidden">Activation after every layer but the last.</param>
/// <param name="StridedConvolutions">Downsample with stride-2 convolutions instead of convolution + 2×2 max pooling: a quarter of the encoder's arithmetic.</param>
public sealed record ConvAutoencoderConfig(int[] Channels, Activation Hidden = Activation.Selu, bool StridedConvolutions = false)
{
    /// <summary>The book's network: 16, 32, 64 feature maps (28 → 14 → 7 → 3), mirrored by transposed convolutions.</summary>
    public static ConvAutoencoderConfig Book { get; } = new([16, 32, 64]);

    /// <inheritdoc />
    public override string ToString() => $"conv {string.Join("-", Channels)} {Hidden} {(StridedConvolutions ? "strided" : "pooling")}";
}

/// <summary>
/// A convolutional autoencoder for 28×28 images (chapter 3), as in the book: 3×3 convolutions with
/// "same" padding, each followed by 2×2 max pooling (28 → 14 → 7 → 3) — or stride-2 convolutions to the
/// same sizes — then 3×3 transposed convolutions with stride 2 back up (3 → 7 → 14 → 28) and a sigmoid.
/// </summary>
public sealed class ConvAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly ModuleList<Conv2d> encoder;
    private readonly MaxPool2d pool;
    private readonly ModuleList<ConvTranspose2d> decoder;

    /// <summary>Builds the layers.</summary>
    public ConvAutoencoder(ConvAutoencoderConfig config) : base(nameof(ConvAutoencoder))
    {
        if (config.Channels.Length != 3)
            throw new ArgumentException($"The 28×28 geometry needs exactly three convolutions; got {config.Channels.Length}.", nameof(config));
        Config = config;
        var c = config.Channels;
        // Pooling variant: "same" convolutions, each followed by 2×2 max pooling (28 → 14 → 7 → 3).
        // Strided variant: stride-2 convolutions with padding 1, 1, 0 give the same sizes directly.
        encoder = config.StridedConvolutions
            ? new ModuleList<Conv2d>(
                Conv2d(1, c[0], 3, stride: 2, padding: 1),
                Conv2d(c[0], c[1], 3, stride: 2, padding: 1),
                Conv2d(c[1], c[2], 3, stride: 2, padding: 0L))
            : new ModuleList<Conv2d>(
                Conv2d(1, c[0], 3, padding: 1),
                Conv2d(c[0], c[1], 3, padding: 1),
                Conv2d(c[1], c[2], 3, padding: 1));
        pool = MaxPool2d(2);
        decoder = new ModuleList<ConvTranspose2d>(
            ConvTranspose2d(c[2], c[1], 3, stride: 2),                          // 3 → 7 ("valid")
            ConvTranspose2d(c[1], c[0], 3, stride: 2, padding: 1, output_padding: 1), // 7 → 14 ("same")
            ConvTranspose2d(c[0], 1, 3, stride: 2, padding: 1, output_padding: 1));   // 14 → 28
        RegisterComponents();
    }

    /// <summary>The channels and activation this model was built with.</summary>
    public ConvAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor input) => DecodeMaps(EncodeMaps(input)).reshape(input.shape);

    /// <summary>Codings flattened to [N, channels × 3 × 3].</summary>
    public Tensor Encode(Tensor inputs) => EncodeMaps(inputs).flatten(1);

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) =>
        DecodeMaps(codings.reshape(codings.shape[0], Config.Channels[^1], 3, 3)).sigmoid().squeeze(1);

    private Tensor EncodeMaps(Tensor inputs)
    {
        // Channels last: vectorised max pooling, no layout conversions around the convolutions (MemoryLayout).
        var x = MemoryLayout.ChannelsLast(inputs.reshape(inputs.shape[0], 1, 28, 28));
        foreach (var conv in encoder)
        {
            x = Config.Hidden.Apply(conv.call(x));
            if (!Config.StridedConvolutions) x = pool.call(x);
        }
        return x;
    }

    private Tensor DecodeMaps(Tensor maps) => Config.Hidden.Through(decoder, maps, activateLast: false);
}
