using System.IO.Compression;
using AutoencoderNotebooks.Data;

namespace AutoencoderNotebooks.Tests.Data;

public class IdxFileTests
{
    internal static IdxImages Images(int count, int side = 28) =>
        new(Enumerable.Range(0, count * side * side).Select(i => (byte)(i % 256)).ToArray(), count, side, side);

    internal static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Images_and_labels_round_trip_gzipped_or_raw(bool gzip)
    {
        using var temp = new TempFolder();
        var images = Images(5);
        IdxFile.WriteImages(temp.File("images"), images, gzip);
        IdxFile.WriteLabels(temp.File("labels"), Labels(5), gzip);

        var read = IdxFile.ReadImages(temp.File("images"));
        Assert.Equal((5, 28, 28), (read.Count, read.Rows, read.Columns));
        Assert.Equal(images.Pixels, read.Pixels);
        Assert.Equal(Labels(5), IdxFile.ReadLabels(temp.File("labels")));
        Assert.Equal(gzip, IdxFile.IsGzip(File.ReadAllBytes(temp.File("images"))));
    }

    [Fact]
    public void Wrong_magic_number_is_reported_with_the_file_name()
    {
        using var temp = new TempFolder();
        IdxFile.WriteLabels(temp.File("labels.gz"), Labels(3));
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(temp.File("labels.gz")));
        Assert.Contains(temp.File("labels.gz"), error.Message);
        Assert.Contains("wrong magic number 0x00000801", error.Message);
    }

    [Fact]
    public void Truncated_file_is_reported_with_expected_and_actual_sizes()
    {
        using var temp = new TempFolder();
        IdxFile.WriteImages(temp.File("full"), Images(3), gzip: false);
        var bytes = File.ReadAllBytes(temp.File("full"));
        File.WriteAllBytes(temp.File("cut"), bytes[..(bytes.Length - 100)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(temp.File("cut")));
        Assert.Contains(temp.File("cut"), error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains($"{bytes.Length:N0}", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_reported_as_such()
    {
        using var temp = new TempFolder();
        IdxFile.WriteImages(temp.File("images.gz"), Images(3));
        var bytes = File.ReadAllBytes(temp.File("images.gz"));
        for (var i = 20; i < 60; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(temp.File("images.gz"), bytes);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(temp.File("images.gz")));
        Assert.Contains(temp.File("images.gz"), error.Message);
        Assert.Contains("corrupt gzip", error.Message);
    }

    [Fact]
    public void Cut_gzip_stream_is_reported_as_corrupt()
    {
        using var temp = new TempFolder();
        IdxFile.WriteImages(temp.File("images.gz"), Images(20));
        var bytes = File.ReadAllBytes(temp.File("images.gz"));
        File.WriteAllBytes(temp.File("images.gz"), bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(temp.File("images.gz")));
        Assert.Contains(temp.File("images.gz"), error.Message);
    }
}
