using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Variational;

/// <summary>Sizes of a <see cref="VariationalAutoencoder"/> (chapter 6).</summary>
/// <param name="Hidden">Hidden layer sizes of the encoder after the 784 inputs (the decoder mirrors them).</param>
/// <param name="Codings">Dimension of the latent space.</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="LinearOutput">
/// Decode with a linear last layer instead of a sigmoid, as the 3rd edition's MSE VAE does: the squared error's
/// gradient then reaches every pixel, where through a sigmoid it vanishes on saturated ones. Images and metrics
/// clip its output to [0, 1]; the training loss and the book-units score use it as it is, as Keras does.
/// </param>
public sealed record VariationalAutoencoderConfig(int[] Hidden, int Codings = 10, Activation Activation = Activation.Selu, bool LinearOutput = false)
{
    /// <summary>The book's VAE (2nd edition): 784-150-100 → 10 codings (mean and log-variance) → 100-150-784, SELU, sigmoid output.</summary>
    public static VariationalAutoencoderConfig Book { get; } = new([150, 100]);

    /// <summary>The 3rd edition's VAE, trained with MSE: the same sizes with ReLU and a linear output layer.</summary>
    public static VariationalAutoencoderConfig ThirdEdition { get; } = new([150, 100], Activation: Activation.Relu, LinearOutput: true);
}

/// <summary>
/// A variational autoencoder (chapter 6; Kingma &amp; Welling, 2014; Géron ch. 17, "Variational Autoencoders"):
/// the encoder outputs the mean μ and log-variance log σ² of a Gaussian over codings; training samples
/// z = μ + σ ⊙ ε with ε ~ N(0, I) (the reparameterisation trick). In eval mode the coding is μ, so scores are
/// deterministic. Sampling the prior N(0, I) and decoding generates new images.
/// </summary>
public sealed class VariationalAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly ModuleList<Linear> encoder;
    private readonly Linear mean;
    private readonly Linear logVariance;
    private readonly ModuleList<Linear> decoder;

    /// <summary>Builds the layers.</summary>
    public VariationalAutoencoder(VariationalAutoencoderConfig config) : base(nameof(VariationalAutoencoder))
    {
        if (config.Hidden.Length == 0 || config.Hidden.Any(h => h < 1) || config.Codings < 1)
            throw new ArgumentException($"A VAE needs at least one hidden layer and positive sizes; got hidden [{string.Join(", ", config.Hidden)}], codings {config.Codings}.", nameof(config));
        Config = config;
        int[] sizes = [784, .. config.Hidden];
        encoder = new ModuleList<Linear>(Enumerable.Range(0, sizes.Length - 1).Select(i => Linear(sizes[i], sizes[i + 1])).ToArray());
        mean = Linear(sizes[^1], config.Codings);
        logVariance = Linear(sizes[^1], config.Codings);
        int[] back = [config.Codings, .. config.Hidden.Reverse(), 784];
        decoder = new ModuleList<Linear>(Enumerable.Range(0, back.Length - 1).Select(i => Linear(back[i], back[i + 1])).ToArray());
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public VariationalAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>The decoder's dense layers, codings side first: the hidden activation after each but the last, then the sigmoid (or, for a linear output, the clip to [0, 1] images get). Chapter 6's explorer runs them in the page.</summary>
    public IReadOnlyList<Linear> DecoderLayers => decoder.ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => ToImages(Logits(input));

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => DecodeLogits(Encode(inputs)).reshape(inputs.shape);

    /// <summary>The mean and log-variance of q(z | x), each [N, codings].</summary>
    public (Tensor Mean, Tensor LogVariance) EncodeDistribution(Tensor inputs)
    {
        var hidden = Config.Activation.Through(encoder, inputs.reshape(inputs.shape[0], -1));
        return (mean.call(hidden), logVariance.call(hidden));
    }

    /// <summary>A sample of q(z | x) in training mode (reparameterised), its mean in eval mode.</summary>
    public Tensor Encode(Tensor inputs)
    {
        var (mu, logVar) = EncodeDistribution(inputs);
        return training ? Reparameterize(mu, logVar) : mu;
    }

    /// <summary>z = μ + exp(log σ² / 2) ⊙ ε, ε ~ N(0, I): a sample whose gradient flows to μ and log σ².</summary>
    public static Tensor Reparameterize(Tensor mean, Tensor logVariance, Generator? generator = null) =>
        mean + (logVariance * 0.5).exp() * randn(mean.shape, generator: generator);

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => ToImages(DecodeLogits(codings));

    /// <summary>The decoder's last layer's output, [N, 784]: the sigmoid's logits, or the pixels themselves for a linear output.</summary>
    public Tensor DecodeLogits(Tensor codings) => Config.Activation.Through(decoder, codings, activateLast: false);

    /// <summary>The pixels the decoder predicts from its last layer's output: its sigmoid, or the output itself (unclipped) for a linear output.</summary>
    public Tensor Pixels(Tensor logits) => Config.LinearOutput ? logits : logits.sigmoid();

    private Tensor ToImages(Tensor logits) => Config.LinearOutput ? logits.clamp(0, 1) : logits.sigmoid();

    /// <summary>
    /// <paramref name="count"/> new images decoded from codings drawn from the prior N(0, I) with a generator
    /// seeded by <paramref name="seed"/>, in eval mode without gradients; [count, 28, 28].
    /// </summary>
    public Tensor Generate(int count, int seed = 42)
    {
        using var generator = new Generator((ulong)seed);
        using var evaluation = new EvaluationMode(this);
        using var scope = NewDisposeScope();
        return Decode(randn(count, Config.Codings, generator: generator)).reshape(count, 28, 28).MoveToOuterDisposeScope();
    }
}
