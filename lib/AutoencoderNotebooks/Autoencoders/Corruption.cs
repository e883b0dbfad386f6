using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>How a denoising autoencoder corrupts its inputs while it trains (chapter 4).</summary>
public enum CorruptionKind
{
    /// <summary>No corruption: a plain autoencoder.</summary>
    None,

    /// <summary>Add Gaussian noise with standard deviation <see cref="Corruption.Amount"/> (Keras' <c>GaussianNoise</c>).</summary>
    GaussianNoise,

    /// <summary>Zero each pixel with probability <see cref="Corruption.Amount"/> and scale the rest by 1/(1 − rate) (Keras' <c>Dropout</c>).</summary>
    Dropout,
}

/// <summary>
/// A corruption of the inputs that is active only in training mode (chapter 4): a module of the model, so
/// <c>eval()</c> switches it off and validation, test scores and codings see clean images.
/// </summary>
/// <param name="Kind">Noise or dropout.</param>
/// <param name="Amount">The noise's standard deviation, or the dropout rate.</param>
public sealed record Corruption(CorruptionKind Kind, double Amount)
{
    /// <summary>No corruption.</summary>
    public static Corruption None { get; } = new(CorruptionKind.None, 0);

    /// <summary>Gaussian noise with standard deviation <paramref name="sigma"/>.</summary>
    public static Corruption Gaussian(double sigma) => new(CorruptionKind.GaussianNoise, sigma);

    /// <summary>Dropout with rate <paramref name="rate"/>.</summary>
    public static Corruption Dropout(double rate) => new(CorruptionKind.Dropout, rate);

    /// <summary>The module that applies this corruption in training mode and passes inputs through in eval mode.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative σ or a rate outside [0, 1).</exception>
    public Module<Tensor, Tensor> CreateModule() => Kind switch
    {
        CorruptionKind.None => Identity(),
        CorruptionKind.GaussianNoise when Amount >= 0 => new GaussianNoise(Amount),
        CorruptionKind.Dropout when Amount is >= 0 and < 1 => nn.Dropout(Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(Amount), Amount, $"{Kind} needs {(Kind == CorruptionKind.Dropout ? "a rate in [0, 1)" : "σ ≥ 0")}."),
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        CorruptionKind.None => "none",
        CorruptionKind.GaussianNoise => $"Gaussian noise σ = {Amount}",
        _ => $"dropout {Amount}",
    };
}

/// <summary>
/// Adds zero-mean Gaussian noise with standard deviation σ in training mode; the identity in eval mode
/// (chapter 4; Keras' <c>GaussianNoise</c>). The noise is added to the inputs only: the target stays clean.
/// </summary>
public sealed class GaussianNoise : Module<Tensor, Tensor>
{
    /// <summary>A noise layer with standard deviation <paramref name="sigma"/>.</summary>
    public GaussianNoise(double sigma) : base(nameof(GaussianNoise))
    {
        Sigma = sigma;
        RegisterComponents();
    }

    /// <summary>The noise's standard deviation.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => training && Sigma > 0 ? input + randn_like(input) * Sigma : input.alias();
}
