using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Diffusion;

/// <summary>Widths and time embedding of a <see cref="UNet"/> (chapter 9).</summary>
/// <param name="Widths">Channels at 28×28, 14×14 and 7×7.</param>
/// <param name="TimeEmbedding">Size of the sinusoidal time embedding.</param>
/// <param name="Groups">Groups of every group normalisation (must divide every width).</param>
public sealed record UNetConfig(int[] Widths, int TimeEmbedding = 64, int Groups = 8)
{
    /// <summary>The course's UNet: 16, 32 and 64 channels (28 → 14 → 7).</summary>
    public static UNetConfig Course { get; } = new([16, 32, 64]);
}

/// <summary>Group normalisation that starts as the identity affine map (chapter 9).</summary>
public static class Normalization
{
    /// <summary>
    /// <c>GroupNorm</c> with weight 1 and bias 0. TorchSharp 0.107.0's <c>nn.GroupNorm</c> leaves both
    /// uninitialised (values such as 1e6 and denormals, outputs NaN), so they are set here; tests check every
    /// group norm of the UNet against <c>functional.group_norm</c>.
    /// </summary>
    public static GroupNorm Group(int groups, int channels)
    {
        var norm = GroupNorm(groups, channels);
        using var noGrad = no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }
}

/// <summary>
/// A residual block of the UNet (chapter 9): group norm, SiLU, 3×3 convolution, plus the projected time
/// embedding; again group norm, SiLU, 3×3 convolution; added to the input (through a 1×1 convolution when the
/// channel count changes).
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm firstNorm;
    private readonly Conv2d firstConv;
    private readonly Linear time;
    private readonly GroupNorm secondNorm;
    private readonly Conv2d secondConv;
    private readonly Module<Tensor, Tensor> skip;

    /// <summary>A block from <paramref name="inputs"/> to <paramref name="outputs"/> channels.</summary>
    public ResidualBlock(int inputs, int outputs, int timeEmbedding, int groups) : base(nameof(ResidualBlock))
    {
        firstNorm = Normalization.Group(groups, inputs);
        firstConv = Conv2d(inputs, outputs, 3, padding: 1);
        time = Linear(timeEmbedding, outputs);
        secondNorm = Normalization.Group(groups, outputs);
        secondConv = Conv2d(outputs, outputs, 3, padding: 1);
        skip = inputs == outputs ? Identity() : Conv2d(inputs, outputs, 1);
        RegisterComponents();
    }

    /// <summary>The block's group normalisations (tests check their initialisation).</summary>
    public IEnumerable<GroupNorm> Norms => [firstNorm, secondNorm];

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor timeEmbedding)
    {
        var h = firstConv.call(functional.silu(firstNorm.call(x)));
        h = h + time.call(timeEmbedding).unsqueeze(-1).unsqueeze(-1);
        h = secondConv.call(functional.silu(secondNorm.call(h)));
        return h + skip.call(x);
    }
}

/// <summary>
/// A small UNet that predicts the noise in a noised image (chapter 9; Ronneberger et al., 2015; Ho et al., 2020):
/// residual blocks at 28×28, 14×14 and 7×7 with stride-2 convolutions down and nearest-neighbour upsampling up,
/// skip connections between equal resolutions, and a sinusoidal time embedding added in every block.
/// Input: images [N, 28, 28] (or [N, 1, 28, 28]) and steps t [N]; output: the predicted noise, [N, 28, 28].
/// </summary>
public sealed class UNet : Module<Tensor, Tensor, Tensor>, IConfiguredModel
{
    private readonly Sequential timeMlp;
    private readonly Conv2d input;
    private readonly ResidualBlock down28;
    private readonly Conv2d to14;
    private readonly ResidualBlock down14;
    private readonly Conv2d to7;
    private readonly ResidualBlock down7;
    private readonly ResidualBlock middle;
    private readonly Conv2d up14;
    private readonly ResidualBlock decode14;
    private readonly Conv2d up28;
    private readonly ResidualBlock decode28;
    private readonly GroupNorm outputNorm;
    private readonly Conv2d output;

    /// <summary>Builds the network.</summary>
    public UNet(UNetConfig config) : base(nameof(UNet))
    {
        if (config.Widths.Length != 3 || config.Widths.Any(w => w % config.Groups != 0))
            throw new ArgumentException($"The UNet needs three widths, each divisible by {config.Groups} groups; got [{string.Join(", ", config.Widths)}].", nameof(config));
        Config = config;
        var (w0, w1, w2) = (config.Widths[0], config.Widths[1], config.Widths[2]);
        var (e, g) = (config.TimeEmbedding, config.Groups);
        timeMlp = Sequential(Linear(e, e), SiLU(), Linear(e, e));
        input = Conv2d(1, w0, 3, padding: 1);
        down28 = new ResidualBlock(w0, w0, e, g);
        to14 = Conv2d(w0, w0, 3, stride: 2, padding: 1);
        down14 = new ResidualBlock(w0, w1, e, g);
        to7 = Conv2d(w1, w1, 3, stride: 2, padding: 1);
        down7 = new ResidualBlock(w1, w2, e, g);
        middle = new ResidualBlock(w2, w2, e, g);
        up14 = Conv2d(w2, w1, 3, padding: 1);
        decode14 = new ResidualBlock(2 * w1, w1, e, g);
        up28 = Conv2d(w1, w0, 3, padding: 1);
        decode28 = new ResidualBlock(2 * w0, w0, e, g);
        outputNorm = Normalization.Group(g, w0);
        output = Conv2d(w0, 1, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The widths this model was built with.</summary>
    public UNetConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>Every group normalisation of the network.</summary>
    public IEnumerable<GroupNorm> GroupNorms =>
        new[] { down28, down14, down7, middle, decode14, decode28 }.SelectMany(b => b.Norms).Append(outputNorm);

    /// <inheritdoc />
    public override Tensor forward(Tensor images, Tensor steps)
    {
        var n = images.shape[0];
        var t = timeMlp.call(Diffusion.TimeEmbedding.Sinusoidal(steps, Config.TimeEmbedding));
        var x = input.call(images.reshape(n, 1, 28, 28));
        var skip28 = down28.call(x, t);
        var skip14 = down14.call(to14.call(skip28), t);
        var h = middle.call(down7.call(to7.call(skip14), t), t);
        h = up14.call(functional.interpolate(h, size: [14, 14], mode: InterpolationMode.Nearest));
        h = decode14.call(cat([h, skip14], 1), t);
        h = up28.call(functional.interpolate(h, size: [28, 28], mode: InterpolationMode.Nearest));
        h = decode28.call(cat([h, skip28], 1), t);
        return output.call(functional.silu(outputNorm.call(h))).reshape(n, 28, 28);
    }
}
