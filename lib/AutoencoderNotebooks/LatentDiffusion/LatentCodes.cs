using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>
/// The first stage's codings of the training and validation images, multiplied by one scale factor so that they have
/// unit variance (chapter 10; Rombach et al., 2022, sect. 4.3.2): the diffusion model's noise schedule assumes data of
/// about the noise's size, and a VAE's latent need not have it. The codings are the encoder's means (eval mode).
/// </summary>
public sealed class LatentCodes : IDisposable
{
    private LatentCodes(LatentAutoencoder firstStage, Tensor train, Tensor trainLabels, Tensor validation, Tensor validationLabels, double scale, double limit)
    {
        FirstStage = firstStage;
        Train = train;
        TrainLabels = trainLabels;
        Validation = validation;
        ValidationLabels = validationLabels;
        Scale = scale;
        Limit = limit;
    }

    /// <summary>The first stage whose codings these are.</summary>
    public LatentAutoencoder FirstStage { get; }

    /// <summary>Scaled codings of the training images, [N, channels, 7, 7].</summary>
    public Tensor Train { get; }

    /// <summary>Their class labels, [N] (int64).</summary>
    public Tensor TrainLabels { get; }

    /// <summary>Scaled codings of the validation images.</summary>
    public Tensor Validation { get; }

    /// <summary>Their class labels.</summary>
    public Tensor ValidationLabels { get; }

    /// <summary>The scale factor s = 1/σ, σ the standard deviation of every unscaled training coding value.</summary>
    public double Scale { get; }

    /// <summary>The largest magnitude of a scaled training coding value: the range sampling clips its estimates of z₀ to.</summary>
    public double Limit { get; }

    /// <summary>Encodes <paramref name="data"/>'s training and validation images with <paramref name="firstStage"/> and scales them.</summary>
    public static LatentCodes Of(LatentAutoencoder firstStage, DataSplits data)
    {
        using var scope = NewDisposeScope();
        var train = firstStage.EncodeAll(data.Train.Images, 1000);
        var validation = firstStage.EncodeAll(data.Validation.Images, 1000);
        var scale = 1 / train.to_type(ScalarType.Float64).std().item<double>();
        train.mul_(scale);
        validation.mul_(scale);
        var limit = train.abs().max().item<float>();
        return new LatentCodes(firstStage, train.DetachFromDisposeScope(), data.Train.Labels.clone().DetachFromDisposeScope(),
            validation.DetachFromDisposeScope(), data.Validation.Labels.clone().DetachFromDisposeScope(), scale, limit);
    }

    /// <summary>Codings back to the first stage's units: z / s.</summary>
    public Tensor Unscale(Tensor scaled) => scaled / Scale;

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        TrainLabels.Dispose();
        Validation.Dispose();
        ValidationLabels.Dispose();
    }
}
