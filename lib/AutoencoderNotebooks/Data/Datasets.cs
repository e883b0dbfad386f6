using AutoencoderNotebooks.Core;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Data;

/// <summary>Loads MNIST-format data sets into tensors (chapter 0).</summary>
public static class Datasets
{
    /// <summary>Side of an MNIST / Fashion-MNIST image, in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>
    /// Loads a data set: in <see cref="RunMode.Quick"/> the bundled sample, in full mode the whole data set
    /// found by <see cref="DataLocator.Locate"/>. Fashion-MNIST unless <paramref name="spec"/> says otherwise.
    /// </summary>
    public static ImageData Load(RunMode mode, DatasetSpec? spec = null, string? folder = null, bool flatten = false)
    {
        spec ??= DatasetSpec.FashionMnist;
        var origin = mode == RunMode.Quick && folder is null ? DataLocator.Sample(spec) : DataLocator.Locate(spec, folder);
        // Every copy of the full data set is checked against the spec's sizes and checksums, wherever it was found
        // (a download, FASHION_MNIST_DIR, data/, the Debian package); the bundled sample is a cut of it.
        var sample = origin.How == DataLocator.SampleHow;
        var train = LoadSplit(FileIn(origin, spec.TrainImages), FileIn(origin, spec.TrainLabels), spec.ClassNames, flatten,
            sample ? null : (spec.TrainImages, spec.TrainLabels));
        var test = LoadSplit(FileIn(origin, spec.TestImages), FileIn(origin, spec.TestLabels), spec.ClassNames, flatten,
            sample ? null : (spec.TestImages, spec.TestLabels));
        // Reading left a few hundred MB of byte arrays on the large-object heap, which .NET collects only when it
        // runs short of managed memory; tensors live in native memory, so that may never happen. Free them now.
        GC.Collect();
        return new ImageData(spec, origin, train, test);
    }

    /// <summary>Reads one split from an image file and a label file, verified against <paramref name="expected"/> when given.</summary>
    /// <exception cref="InvalidDataException">Bad file, not the expected one, wrong image size, or image/label count mismatch.</exception>
    public static ImageSet LoadSplit(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, bool flatten = false,
        (DatasetFile Images, DatasetFile Labels)? expected = null)
    {
        var images = IdxFile.ReadImages(imagesPath, expected?.Images);
        var labels = IdxFile.ReadLabels(labelsPath, expected?.Labels);
        if (images.Rows != ImageSide || images.Columns != ImageSide)
            throw new InvalidDataException(
                $"{imagesPath}: expected {ImageSide}×{ImageSide} images, found {images.Rows}×{images.Columns}. Is this an MNIST-format file?");
        if (images.Count != labels.Length)
            throw new InvalidDataException(
                $"{imagesPath} has {images.Count:N0} images but {labelsPath} has {labels.Length:N0} labels; the two files must come from the same split.");
        var outOfRange = labels.FirstOrDefault(l => l >= classNames.Count);
        if (labels.Any(l => l >= classNames.Count))
            throw new InvalidDataException($"{labelsPath}: label {outOfRange} is outside the {classNames.Count} classes.");

        using var scope = NewDisposeScope();
        long[] shape = flatten ? [images.Count, ImageSide * ImageSide] : [images.Count, ImageSide, ImageSide];
        var pixels = tensor(images.Pixels, shape).to_type(ScalarType.Float32).div_(255f);
        var classes = tensor(labels, [labels.Length]).to_type(ScalarType.Int64);
        return new ImageSet(pixels.MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope(), classNames);
    }

    /// <summary>
    /// Writes the first <paramref name="trainCount"/> training and <paramref name="testCount"/> test images
    /// of the data set in <paramref name="sourceFolder"/> to <paramref name="targetFolder"/>, gzipped: how
    /// <c>data/sample</c> was cut from Debian's Fashion-MNIST.
    /// </summary>
    public static void WriteSample(DatasetSpec spec, string sourceFolder, string targetFolder, int trainCount, int testCount)
    {
        Directory.CreateDirectory(targetFolder);
        foreach (var (imagesFile, labelsFile, count) in new[] { (spec.TrainImages, spec.TrainLabels, trainCount), (spec.TestImages, spec.TestLabels, testCount) })
        {
            var images = IdxFile.ReadImages(DataLocator.PathOf(sourceFolder, imagesFile)!);
            var labels = IdxFile.ReadLabels(DataLocator.PathOf(sourceFolder, labelsFile)!);
            var pixels = images.Pixels.AsSpan(0, count * images.Rows * images.Columns).ToArray();
            IdxFile.WriteImages(Path.Combine(targetFolder, imagesFile.Name), images with { Pixels = pixels, Count = count });
            IdxFile.WriteLabels(Path.Combine(targetFolder, labelsFile.Name), labels[..count]);
        }
    }

    private static string FileIn(DataOrigin origin, DatasetFile file) =>
        DataLocator.PathOf(origin.Folder, file) ?? throw new FileNotFoundException($"{file.Name} disappeared from {origin.Folder}.");
}

/// <summary>How many images of each split <c>data/sample</c> holds (chapter 0).</summary>
public static class SampleSize
{
    /// <summary>Training images in the sample.</summary>
    public const int Train = 4000;

    /// <summary>Test images in the sample.</summary>
    public const int Test = 1000;
}
