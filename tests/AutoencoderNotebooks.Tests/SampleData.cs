using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests;

/// <summary>
/// The bundled sample, read and unpacked once per test run and shared by every test that reads it (never disposed,
/// never written to: tests take copies or pass it to code that only reads).
/// </summary>
internal static class SampleData
{
    private static readonly Lazy<ImageData> Sample = new(() => Datasets.Load(RunMode.Quick));

    /// <summary>The bundled sample's images and labels (shared: do not dispose or modify).</summary>
    public static ImageData Data => Sample.Value;

    /// <summary>The first <paramref name="count"/> training images of the bundled sample, [count, 28, 28] (a copy).</summary>
    public static Tensor Images(int count) => Data.Train.Images.narrow(0, 0, count).clone();
}
