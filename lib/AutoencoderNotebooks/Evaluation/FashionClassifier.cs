using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>Sizes of the <see cref="FashionClassifier"/> (chapter 8).</summary>
/// <param name="Channels">Feature maps of the two 3×3 convolutions (each followed by 2×2 max pooling).</param>
/// <param name="Features">Units of the penultimate layer: the features the Fréchet distance compares.</param>
public sealed record FashionClassifierConfig(int[] Channels, int Features = 128)
{
    /// <summary>The course's yardstick classifier: 32 and 64 feature maps, 128 features.</summary>
    public static FashionClassifierConfig Course { get; } = new([32, 64]);
}

/// <summary>
/// A small convolutional Fashion-MNIST classifier (chapter 8), the course's yardstick for generators: its labels
/// give a generator's class coverage, its penultimate layer the features of a Fréchet distance (the FID recipe with
/// this network instead of Inception). Returns class logits.
/// </summary>
public sealed class FashionClassifier : Module<Tensor, Tensor>, IConfiguredModel
{
    private readonly Conv2d first;
    private readonly Conv2d second;
    private readonly MaxPool2d pool;
    private readonly Linear features;
    private readonly Dropout dropout;
    private readonly Linear classes;

    /// <summary>Builds the layers.</summary>
    public FashionClassifier(FashionClassifierConfig config) : base(nameof(FashionClassifier))
    {
        if (config.Channels.Length != 2) throw new ArgumentException($"The classifier has exactly two convolutions; got {config.Channels.Length} channel counts.", nameof(config));
        Config = config;
        first = Conv2d(1, config.Channels[0], 3, padding: 1);
        second = Conv2d(config.Channels[0], config.Channels[1], 3, padding: 1);
        pool = MaxPool2d(2);
        features = Linear(config.Channels[1] * 7 * 7, config.Features);
        dropout = Dropout(0.3);
        classes = Linear(config.Features, 10);
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public FashionClassifierConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor images) => classes.forward(dropout.forward(Features(images)));

    /// <summary>The penultimate layer's activations, [N, features].</summary>
    public Tensor Features(Tensor images)
    {
        // Channels last: vectorised max pooling, no layout conversions around the convolutions (MemoryLayout).
        var x = MemoryLayout.ChannelsLast(images.reshape(images.shape[0], 1, 28, 28));
        x = pool.forward(functional.relu(first.forward(x)));
        x = pool.forward(functional.relu(second.forward(x)));
        return functional.relu(features.forward(x.flatten(1)));
    }
}
