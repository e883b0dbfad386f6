using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Data;

/// <summary>
/// A whole image split as one tensor (chapter 0): <see cref="Images"/> is float32 in [0, 1], shaped
/// [N, 28, 28] or [N, 784]; <see cref="Labels"/> is int64 [N]. Owns its tensors.
/// </summary>
public sealed class ImageSet : IDisposable
{
    /// <summary>Wraps tensors (taking ownership) and the class names.</summary>
    public ImageSet(Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        if (images.shape[0] != labels.shape[0])
            throw new ArgumentException($"{images.shape[0]} images but {labels.shape[0]} labels.");
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassNames = classNames;
    }

    /// <summary>Pixel intensities in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>Class indices.</summary>
    public Tensor Labels { get; }

    /// <summary>Names of the classes, by index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> (copied).</summary>
    public ImageSet Slice(int start, int count) =>
        new(Images.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone(), ClassNames);

    /// <summary>
    /// Images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> sharing this set's
    /// memory (libtorch keeps the memory alive while either set holds it).
    /// </summary>
    public ImageSet View(int start, int count) =>
        new(Images.narrow(0, start, count), Labels.narrow(0, start, count), ClassNames);

    /// <summary>The first <paramref name="count"/> images (copied).</summary>
    public ImageSet Take(int count) => Slice(0, Math.Min(count, Count));

    /// <summary>Number of images per class, by class index.</summary>
    public long[] ClassCounts()
    {
        using var counts = Labels.bincount(null, ClassNames.Count);
        return counts.data<long>().ToArray();
    }

    /// <summary>The mean image of each class, [classes, ...image shape] (an all-zero image for an empty class).</summary>
    public Tensor ClassMeans()
    {
        using var scope = NewDisposeScope();
        var means = Enumerable.Range(0, ClassNames.Count).Select(c =>
        {
            var members = Images.index(Labels == c);
            return members.shape[0] > 0 ? members.mean([0]) : zeros_like(Images[0]);
        }).ToArray();
        return stack(means).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>The train and test splits of a data set and where they came from (chapter 0).</summary>
public sealed class ImageData(DatasetSpec spec, DataOrigin origin, ImageSet train, ImageSet test) : IDisposable
{
    /// <summary>The data set.</summary>
    public DatasetSpec Spec { get; } = spec;

    /// <summary>Folder and search step the files came from.</summary>
    public DataOrigin Origin { get; } = origin;

    /// <summary>Training images (the book's <c>X_train_full</c>).</summary>
    public ImageSet Train { get; } = train;

    /// <summary>Test images.</summary>
    public ImageSet Test { get; } = test;

    /// <summary>
    /// Splits <see cref="Train"/> as the book does: the last <paramref name="validationCount"/> images
    /// for validation, the rest for training. The splits are views of <see cref="Train"/>'s memory, not copies.
    /// </summary>
    public (ImageSet Train, ImageSet Validation) SplitValidation(int validationCount)
    {
        if (validationCount <= 0 || validationCount >= Train.Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount, $"must be between 1 and {Train.Count - 1}.");
        return (Train.View(0, Train.Count - validationCount), Train.View(Train.Count - validationCount, validationCount));
    }

    /// <summary>
    /// The training, validation and test splits a run uses (chapter 2): <see cref="SplitValidation"/> plus
    /// <see cref="Test"/>, named after the data set; all of them share this object's memory.
    /// </summary>
    public DataSplits Splits(int validationCount)
    {
        var (train, validation) = SplitValidation(validationCount);
        return new DataSplits(Spec.Name, train, validation, Test);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>
/// The data a training run sees (chapter 2): the data set's name and its training, validation and test
/// splits. Its <see cref="KeyPart"/> goes into a saved model's key, so a model trained on other data is not reused.
/// </summary>
public sealed record DataSplits(string DatasetName, ImageSet Train, ImageSet Validation, ImageSet Test)
{
    /// <summary>What identifies this data for a saved model: the data set's name and the size of each split.</summary>
    public DataKey KeyPart => new(DatasetName, Train.Count, Validation.Count, Test.Count);

    /// <summary>The same data set with its splits cut to at most these sizes (first images of each).</summary>
    public DataSplits Take(int train, int validation, int test) =>
        new(DatasetName, Train.Take(train), Validation.Take(validation), Test.Take(test));
}

/// <summary>A data set's name and split sizes, as they enter a model key (chapter 2).</summary>
public sealed record DataKey(string Dataset, int Train, int Validation, int Test);
