using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Adversarial;

/// <summary>Which network a <see cref="GanConfig"/> describes (chapter 8).</summary>
public enum GanArchitecture
{
    /// <summary>The book's simple GAN: dense layers, 30 codings.</summary>
    Dense,

    /// <summary>The book's DCGAN: 5×5 transposed convolutions with batch norm and SELU; 5×5 convolutions with LeakyReLU and dropout.</summary>
    BookDcgan,

    /// <summary>A DCGAN in the style of Radford et al. (2016): 4×4 kernels, batch norm in both networks, ReLU in the generator, no dropout.</summary>
    RadfordDcgan,
}

/// <summary>A generator and discriminator pair (chapter 8).</summary>
/// <param name="Architecture">Dense, the book's DCGAN or Radford et al.'s.</param>
/// <param name="Codings">Dimension of the generator's input noise.</param>
public sealed record GanConfig(GanArchitecture Architecture, int Codings)
{
    /// <summary>The book's dense GAN: 30 codings → 100 → 150 → 784; discriminator 784 → 150 → 100 → 1.</summary>
    public static GanConfig Dense { get; } = new(GanArchitecture.Dense, 30);

    /// <summary>The book's DCGAN with 100 codings.</summary>
    public static GanConfig BookDcgan { get; } = new(GanArchitecture.BookDcgan, 100);

    /// <summary>The Radford-style DCGAN with 100 codings.</summary>
    public static GanConfig RadfordDcgan { get; } = new(GanArchitecture.RadfordDcgan, 100);
}

/// <summary>
/// A GAN's generator (chapter 8): noise [N, codings] → images [N, 28, 28] in [−1, 1] (tanh), the range the
/// training images are scaled to.
/// </summary>
public sealed class GanGenerator : Module<Tensor, Tensor>, IConfiguredModel
{
    private readonly Sequential layers;

    /// <summary>Builds the generator of <paramref name="config"/>.</summary>
    public GanGenerator(GanConfig config) : base(nameof(GanGenerator))
    {
        Config = config;
        var z = config.Codings;
        layers = config.Architecture switch
        {
            GanArchitecture.Dense => Sequential(
                Linear(z, 100), SELU(), Linear(100, 150), SELU(), Linear(150, 784), Tanh()),
            GanArchitecture.BookDcgan => Sequential(
                Linear(z, 7 * 7 * 128), Unflatten(1, [128, 7, 7]), BatchNorm2d(128),
                ConvTranspose2d(128, 64, 5, stride: 2, padding: 2, output_padding: 1), SELU(), BatchNorm2d(64),
                ConvTranspose2d(64, 1, 5, stride: 2, padding: 2, output_padding: 1), Tanh()),
            GanArchitecture.RadfordDcgan => Sequential(
                Linear(z, 7 * 7 * 128, hasBias: false), MemoryLayout.Unflatten(1, [128, 7, 7]), BatchNorm2d(128), ReLU(),
                ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false), BatchNorm2d(64), ReLU(),
                ConvTranspose2d(64, 1, 4, stride: 2, padding: 1), Tanh()),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Architecture, "Unknown GAN architecture."),
        };
        RegisterComponents();
    }

    /// <summary>The architecture and coding size.</summary>
    public GanConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor noise) => layers.forward(noise).reshape(noise.shape[0], 28, 28);
}

/// <summary>
/// A GAN's discriminator (chapter 8): images [N, 28, 28] in [−1, 1] → one logit per image, [N] (the probability
/// that the image is real is its sigmoid; the loss works on logits for stability).
/// </summary>
public sealed class GanDiscriminator : Module<Tensor, Tensor>, IConfiguredModel
{
    private readonly Sequential layers;

    /// <summary>Builds the discriminator of <paramref name="config"/>.</summary>
    public GanDiscriminator(GanConfig config) : base(nameof(GanDiscriminator))
    {
        Config = config;
        layers = config.Architecture switch
        {
            GanArchitecture.Dense => Sequential(
                Flatten(), Linear(784, 150), SELU(), Linear(150, 100), SELU(), Linear(100, 1)),
            GanArchitecture.BookDcgan => Sequential(
                Unflatten(1, [1, 28]),
                Conv2d(1, 64, 5, stride: 2, padding: 2), LeakyReLU(0.2), Dropout(0.4),
                Conv2d(64, 128, 5, stride: 2, padding: 2), LeakyReLU(0.2), Dropout(0.4),
                Flatten(), Linear(128 * 7 * 7, 1)),
            GanArchitecture.RadfordDcgan => Sequential(
                MemoryLayout.Unflatten(1, [1, 28]),
                Conv2d(1, 64, 4, stride: 2, padding: 1), LeakyReLU(0.2),
                Conv2d(64, 128, 4, stride: 2, padding: 1, bias: false), BatchNorm2d(128), LeakyReLU(0.2),
                Flatten(), Linear(128 * 7 * 7, 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Architecture, "Unknown GAN architecture."),
        };
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public GanConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor images) => layers.forward(images.reshape(images.shape[0], 28, 28)).reshape(-1);
}
