using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>Sizes of a <see cref="LatentAutoencoder"/> (chapter 10).</summary>
/// <param name="Channels">Feature maps at 14×14 and at 7×7.</param>
/// <param name="LatentChannels">Channels of the 7×7 latent: 4 gives Stable Diffusion's shape, 196 values per image.</param>
public sealed record LatentAutoencoderConfig(int[] Channels, int LatentChannels = 4)
{
    /// <summary>The course's first stage: 32 maps at 14×14, 64 at 7×7, a 4×7×7 latent.</summary>
    public static LatentAutoencoderConfig Course { get; } = new([32, 64]);
}

/// <summary>
/// The first stage of latent diffusion (chapter 10; Rombach et al., 2022, sect. 3.1): a convolutional VAE whose
/// codings are not a vector but a small image, 4 channels of 7×7. The encoder halves the resolution twice with
/// stride-2 convolutions (28 → 14 → 7) and outputs a mean and a log-variance per latent value; the decoder mirrors
/// it with transposed convolutions and ends in a sigmoid. A light KL term (<see cref="LatentVaeObjective"/>) keeps
/// the latent close to N(0, I) without blurring the reconstructions. In eval mode the coding is the mean.
/// </summary>
public sealed class LatentAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private readonly Conv2d to14;
    private readonly Conv2d to7;
    private readonly Conv2d encode7;
    private readonly Conv2d moments;
    private readonly Conv2d decode7;
    private readonly ConvTranspose2d up14;
    private readonly ConvTranspose2d up28;
    private readonly Conv2d output;

    /// <summary>Builds the layers.</summary>
    public LatentAutoencoder(LatentAutoencoderConfig config) : base(nameof(LatentAutoencoder))
    {
        if (config.Channels.Length != 2 || config.Channels.Any(c => c < 1) || config.LatentChannels < 1)
            throw new ArgumentException($"The first stage needs two positive channel counts (14×14, 7×7) and a positive latent depth; got [{string.Join(", ", config.Channels)}], {config.LatentChannels}.", nameof(config));
        Config = config;
        var (c14, c7, l) = (config.Channels[0], config.Channels[1], config.LatentChannels);
        to14 = Conv2d(1, c14, 3, stride: 2, padding: 1);
        to7 = Conv2d(c14, c7, 3, stride: 2, padding: 1);
        encode7 = Conv2d(c7, c7, 3, padding: 1);
        moments = Conv2d(c7, 2 * l, 1);
        decode7 = Conv2d(l, c7, 3, padding: 1);
        up14 = ConvTranspose2d(c7, c14, 4, stride: 2, padding: 1);
        up28 = ConvTranspose2d(c14, c14, 4, stride: 2, padding: 1);
        output = Conv2d(c14, 1, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public LatentAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>The latent's shape per image: [channels, 7, 7].</summary>
    public long[] LatentShape => [Config.LatentChannels, 7, 7];

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor inputs) => DecodeLogits(Encode(inputs)).reshape(inputs.shape);

    /// <summary>The mean and log-variance of q(z | x), each [N, channels, 7, 7].</summary>
    public (Tensor Mean, Tensor LogVariance) EncodeDistribution(Tensor inputs)
    {
        // Channels last: oneDNN's convolutions run without layout conversions (Core/MemoryLayout).
        var x = MemoryLayout.ChannelsLast(inputs.reshape(inputs.shape[0], 1, 28, 28));
        var h = functional.silu(encode7.call(functional.silu(to7.call(functional.silu(to14.call(x))))));
        var both = moments.call(h).chunk(2, 1);
        return (both[0], both[1]);
    }

    /// <summary>A reparameterised sample of q(z | x) in training mode, its mean in eval mode; [N, channels, 7, 7].</summary>
    public Tensor Encode(Tensor inputs)
    {
        var (mean, logVariance) = EncodeDistribution(inputs);
        return training ? Variational.VariationalAutoencoder.Reparameterize(mean, logVariance) : mean;
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeLogits(codings).sigmoid().reshape(codings.shape[0], 28, 28);

    /// <summary>The decoder's logits, [N, 1, 28, 28], from latents [N, channels, 7, 7].</summary>
    public Tensor DecodeLogits(Tensor codings)
    {
        var h = functional.silu(decode7.call(MemoryLayout.ChannelsLast(codings.reshape(codings.shape[0], Config.LatentChannels, 7, 7))));
        h = functional.silu(up28.call(functional.silu(up14.call(h))));
        return output.call(h);
    }
}
