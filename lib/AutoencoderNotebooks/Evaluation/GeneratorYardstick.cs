using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Evaluation;

/// <summary>One row of the course's generator table (chapter 8).</summary>
/// <param name="Generator">Which generator (or reference).</param>
/// <param name="ClassesFound">Classes the classifier found among the coverage samples (of 10).</param>
/// <param name="LargestClass">The most frequent class among them.</param>
/// <param name="LargestClassShare">Its share.</param>
/// <param name="FrechetDistance">Fréchet distance of the classifier's features to the first test images.</param>
public sealed record GeneratorScore(string Generator, int ClassesFound, string LargestClass, double LargestClassShare, double FrechetDistance);

/// <summary>
/// One yardstick for every generator of the course (chapter 8): a Fashion-MNIST classifier trained once and kept in
/// the model store, the share of each class among a generator's samples, and the Fréchet distance between the
/// classifier's penultimate features of generated images and of the first test images.
/// </summary>
public sealed class GeneratorYardstick
{
    private readonly Tensor referenceFeatures;

    private GeneratorYardstick(FashionClassifier classifier, double testAccuracy, IReadOnlyList<string> classNames, Tensor referenceFeatures, int frechetCount)
    {
        Classifier = classifier;
        TestAccuracy = testAccuracy;
        ClassNames = classNames;
        this.referenceFeatures = referenceFeatures;
        FrechetCount = frechetCount;
    }

    /// <summary>The classifier.</summary>
    public FashionClassifier Classifier { get; }

    /// <summary>Its accuracy on the whole test set.</summary>
    public double TestAccuracy { get; }

    /// <summary>Class names by index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>How many images each Fréchet distance compares on each side (5,000, or the test set's size if smaller).</summary>
    public int FrechetCount { get; }

    /// <summary>
    /// What decides its scores, as text: the classifier as <c>key:&lt;hash&gt;</c> and the reference images; with
    /// <see cref="Memory"/>, a generator's scores are remembered under it and the generator's identity. Null: nothing is remembered.
    /// </summary>
    public string? Identity { get; private init; }

    /// <summary>Where scores of generators with an <see cref="IImageGenerator.Identity"/> are remembered; null: always computed.</summary>
    public IScoreMemory? Memory { get; private init; }

    /// <summary>Raised whenever what a remembered score means changes (how samples are scored), so older ones are not read.</summary>
    public const int ScoreFormat = 1;

    // Convolutional activations of 2,000 images take hundreds of MB; smaller batches keep the peak low.
    private const int BatchSize = 500;

    /// <summary>
    /// The yardstick of a trained <paramref name="classifier"/>: its accuracy on <paramref name="test"/> and the features
    /// of its first <paramref name="frechetCount"/> images, which every generator's samples are compared with. With the
    /// hash of the classifier's model key (which names the data it was trained and tested on) and a
    /// <paramref name="memory"/>, it remembers generators' scores there.
    /// </summary>
    public static GeneratorYardstick Of(FashionClassifier classifier, ImageSet test, int frechetCount = 5000, string? classifierKey = null,
        IScoreMemory? memory = null)
    {
        var accuracy = Classification.Accuracy(classifier, test.Images, test.Labels, BatchSize);
        var count = (int)Math.Min(frechetCount, test.Count);
        using var evaluation = new EvaluationMode(classifier);
        var reference = Inference.Batched(test.Images.narrow(0, 0, count), BatchSize, classifier.Features).DetachFromDisposeScope();
        return new GeneratorYardstick(classifier, accuracy, test.ClassNames, reference, count)
        {
            Identity = classifierKey is null ? null : $"yardstick classifier key:{classifierKey} against the first {count} of {test.Count} test images",
            Memory = memory,
        };
    }

    /// <summary>The classifier's features of images in [0, 1], [N, features].</summary>
    public Tensor Features(Tensor images)
    {
        using var evaluation = new EvaluationMode(Classifier);
        return Inference.Batched(images, BatchSize, Classifier.Features);
    }

    /// <summary>The share of each class among the classifier's labels for <paramref name="images"/>, by class index.</summary>
    public double[] Coverage(Tensor images)
    {
        using var scope = NewDisposeScope();
        var labels = Classifier.Predict(images, BatchSize).argmax(1);
        return labels.bincount(null, ClassNames.Count).to_type(ScalarType.Float64).div(images.shape[0]).data<double>().ToArray();
    }

    /// <summary>
    /// The share of <paramref name="images"/> the classifier assigns to the class each was asked for (chapter 10's
    /// guided samples), <paramref name="classes"/> [N] int64.
    /// </summary>
    public double Agreement(Tensor images, Tensor classes)
    {
        using var scope = NewDisposeScope();
        return Classifier.Predict(images, BatchSize).argmax(1).eq(classes).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>The Fréchet distance between the features of <paramref name="images"/> and of the reference test images.</summary>
    public double Frechet(Tensor images)
    {
        using var scope = NewDisposeScope();
        return FrechetDistance.Between(Features(images), referenceFeatures);
    }

    /// <summary>Scores a set of images: coverage of the first <paramref name="coverageCount"/>, Fréchet distance of all.</summary>
    public GeneratorScore Score(string name, Tensor images, int coverageCount = 1000)
    {
        var shares = Coverage(images.narrow(0, 0, Math.Min(coverageCount, images.shape[0])));
        var largest = Array.IndexOf(shares, shares.Max());
        return new GeneratorScore(name, shares.Count(s => s > 0), ClassNames[largest], shares[largest], Frechet(images));
    }

    /// <summary>
    /// Scores <paramref name="generator"/>: <see cref="FrechetCount"/> samples drawn with <paramref name="seed"/>. A
    /// score already in <see cref="Memory"/> for the same generator, yardstick and counts is read instead (under the
    /// generator's current name).
    /// </summary>
    public GeneratorScore Score(IImageGenerator generator, int seed = 42, int coverageCount = 1000)
    {
        var count = Math.Max(FrechetCount, coverageCount);
        var score = Remembered(generator, $"score of {count} samples, seed {seed}, classes among the first {coverageCount}", () =>
        {
            using var scope = NewDisposeScope();
            return Score(generator.Name, generator.Sample(count, seed), coverageCount);
        });
        return score with { Generator = generator.Name };
    }

    /// <summary>
    /// <paramref name="compute"/>'s value for <paramref name="generator"/>, remembered in <see cref="Memory"/> under
    /// the yardstick's identity, the generator's and <paramref name="what"/> (which names everything else the value
    /// depends on: counts, seeds); computed every time when any of them is missing.
    /// </summary>
    public T Remembered<T>(IImageGenerator generator, string what, Func<T> compute) where T : class =>
        Memory is { } memory && Identity is { } yardstick && generator.Identity is { } made
            ? memory.Recall($"format {ScoreFormat}; {yardstick}; {made}; {what}", compute)
            : compute();

    /// <summary>
    /// The rows that give the numbers meaning: real training images against the test images (the floor a perfect
    /// generator would reach) and uniform noise (a reference for images with no structure, not a bound: a generator can be
    /// further from the data than noise).
    /// </summary>
    public IReadOnlyList<GeneratorScore> References(Tensor trainingImages, int seed = 42)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var real = trainingImages.narrow(0, 0, Math.Min(FrechetCount, trainingImages.shape[0]));
        var noise = rand(FrechetCount, 28, 28, generator: generator);
        return [Score("real training images (floor)", real), Score("uniform noise (reference)", noise)];
    }
}
