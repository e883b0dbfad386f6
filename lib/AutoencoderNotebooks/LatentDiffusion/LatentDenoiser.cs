using System.Text.Json.Serialization;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Diffusion;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.LatentDiffusion;

/// <summary>Sizes of a <see cref="LatentDenoiser"/> (chapter 10).</summary>
/// <param name="LatentChannels">Channels of the latents it denoises (the first stage's).</param>
/// <param name="Width">Feature maps of every block.</param>
/// <param name="Blocks">Conditioned residual blocks, all at 7×7.</param>
/// <param name="Embedding">Size of the time and class embeddings.</param>
/// <param name="Classes">Classes it can be asked for; index <c>Classes</c> means "no class".</param>
/// <param name="Groups">Groups of every group normalisation (must divide <paramref name="Width"/>).</param>
public sealed record LatentDenoiserConfig(int LatentChannels = 4, int Width = 64, int Blocks = 3, int Embedding = 128, int Classes = 10, int Groups = 8)
{
    /// <summary>The course's denoiser: three blocks of 64 maps at 7×7, embeddings of 128.</summary>
    public static LatentDenoiserConfig Course { get; } = new();

    /// <summary>The class index that stands for "no class": the unconditional model of classifier-free guidance (derived, so not in the key).</summary>
    [JsonIgnore]
    public int NoClass => Classes;
}

/// <summary>
/// A residual block conditioned by adaptive group normalisation (chapter 10; Dhariwal &amp; Nichol, 2021, sect. 3,
/// "AdaGN"): h = conv(SiLU(GroupNorm(x))), then h ← (1 + s)·GroupNorm(h) + b with the scale s and shift b projected
/// from the time-and-class embedding, then conv(SiLU(h)) added to x. Scaling as well as shifting lets the class
/// change which features a block passes on, not only their level. The last convolution starts at zero, so each block
/// starts as the identity.
/// </summary>
public sealed class ConditionedBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm firstNorm;
    private readonly Conv2d firstConv;
    private readonly Linear modulation;
    private readonly GroupNorm secondNorm;
    private readonly Conv2d secondConv;

    /// <summary>A block of <paramref name="width"/> maps conditioned on embeddings of <paramref name="embedding"/> values.</summary>
    public ConditionedBlock(int width, int embedding, int groups) : base(nameof(ConditionedBlock))
    {
        firstNorm = Normalization.Group(groups, width);
        firstConv = Conv2d(width, width, 3, padding: 1);
        modulation = Linear(embedding, 2 * width);
        secondNorm = Normalization.Group(groups, width);
        secondConv = Conv2d(width, width, 3, padding: 1);
        using (no_grad())
        {
            secondConv.weight!.zero_();
            secondConv.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>The block's group normalisations (tests check their initialisation).</summary>
    public IEnumerable<GroupNorm> Norms => [firstNorm, secondNorm];

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor embedding)
    {
        var h = firstConv.call(functional.silu(firstNorm.call(x)));
        var scaleShift = modulation.call(functional.silu(embedding)).unsqueeze(-1).unsqueeze(-1).chunk(2, 1);
        h = secondNorm.call(h) * (scaleShift[0] + 1) + scaleShift[1];
        return x + secondConv.call(functional.silu(h));
    }
}

/// <summary>
/// The second stage of latent diffusion (chapter 10): predicts the noise in a noised latent [N, channels, 7, 7] at
/// step t for a class y — or for no class, y = <see cref="LatentDenoiserConfig.NoClass"/> — so one network is both
/// the conditional and the unconditional model that classifier-free guidance combines (Ho &amp; Salimans, 2022).
/// The step's sinusoidal embedding (chapter 9) through a small MLP, plus a learned embedding of the class, conditions
/// every <see cref="ConditionedBlock"/>. At 7×7 a few 3×3 blocks already see the whole latent, so there is no
/// down- or up-sampling.
/// </summary>
public sealed class LatentDenoiser : Module<Tensor, Tensor, Tensor, Tensor>, IConfiguredModel
{
    private readonly Sequential timeMlp;
    private readonly Embedding classEmbedding;
    private readonly Conv2d input;
    private readonly ModuleList<ConditionedBlock> blocks;
    private readonly GroupNorm outputNorm;
    private readonly Conv2d output;

    /// <summary>Builds the network.</summary>
    public LatentDenoiser(LatentDenoiserConfig config) : base(nameof(LatentDenoiser))
    {
        if (config.Width % config.Groups != 0 || config.Blocks < 1 || config.Embedding < 4 || config.Embedding % 2 != 0 || config.Classes < 1)
            throw new ArgumentException($"The denoiser needs a width divisible by its {config.Groups} groups, at least one block, an even embedding of at least 4 and a class; got {config}.", nameof(config));
        Config = config;
        var (w, e) = (config.Width, config.Embedding);
        timeMlp = Sequential(Linear(e, e), SiLU(), Linear(e, e));
        classEmbedding = Embedding(config.Classes + 1, e);
        input = Conv2d(config.LatentChannels, w, 3, padding: 1);
        blocks = new ModuleList<ConditionedBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new ConditionedBlock(w, e, config.Groups)).ToArray());
        outputNorm = Normalization.Group(config.Groups, w);
        output = Conv2d(w, config.LatentChannels, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public LatentDenoiserConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <summary>Every group normalisation of the network.</summary>
    public IEnumerable<GroupNorm> GroupNorms => blocks.SelectMany(b => b.Norms).Append(outputNorm);

    /// <summary>The embedding that conditions every block: the step's through the MLP plus the class's, [N, embedding].</summary>
    public Tensor Condition(Tensor steps, Tensor classes) =>
        timeMlp.call(TimeEmbedding.Sinusoidal(steps, Config.Embedding)) + classEmbedding.call(classes);

    /// <summary>The predicted noise, [N, channels, 7, 7], of noised latents at steps t [N] for classes y [N] (int64).</summary>
    public override Tensor forward(Tensor latents, Tensor steps, Tensor classes)
    {
        var condition = Condition(steps, classes);
        var h = input.call(latents);
        foreach (var block in blocks) h = block.call(h, condition);
        return output.call(functional.silu(outputNorm.call(h)));
    }
}
