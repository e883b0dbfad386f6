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

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(content);
    }

    [Fact]
    public void A_compressed_bomb_stops_at_the_expected_size_without_allocating_it()
    {
        using var temp = new TempFolder();
        WriteGzip(temp.File("bomb.gz"), new byte[64 * 1024 * 1024]); // 64 MB of zeros in about 64 KB
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadContent(temp.File("bomb.gz"), new DatasetFile("labels.gz", "", ContentBytes: 10_008)));
        Assert.Contains("decompresses to more than 10,008 bytes", error.Message);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 8 * 1024 * 1024, "decompressing allocated far more than the limit");
    }

    [Fact]
    public void A_lying_size_in_the_gzip_trailer_is_not_trusted()
    {
        using var temp = new TempFolder();
        IdxFile.WriteLabels(temp.File("labels.gz"), Labels(100));
        var bytes = File.ReadAllBytes(temp.File("labels.gz"));
        BitConverter.GetBytes(0xFFFF_FF00u).CopyTo(bytes, bytes.Length - 4); // claims 4 GB
        File.WriteAllBytes(temp.File("lying.gz"), bytes);
        var error = Record.Exception(() => IdxFile.ReadContent(temp.File("lying.gz")));
        Assert.True(error is null or InvalidDataException, $"{error?.GetType().Name}: {error?.Message}");
        if (error is null) Assert.Equal(108, IdxFile.ReadContent(temp.File("lying.gz")).Length);
        else Assert.Contains(temp.File("lying.gz"), error.Message);
    }

    [Fact]
    public void A_local_copy_of_the_full_data_set_is_checked_against_its_sizes_and_checksums()
    {
        using var temp = new TempFolder();
        var spec = DatasetSpec.FashionMnist;
        IdxFile.WriteImages(temp.File(spec.TrainImages.Name), Images(6));
        IdxFile.WriteLabels(temp.File(spec.TrainLabels.Name), Labels(6));
        IdxFile.WriteImages(temp.File(spec.TestImages.Name), Images(3));
        IdxFile.WriteLabels(temp.File(spec.TestLabels.Name), Labels(3));
        var error = Assert.Throws<InvalidDataException>(() => Datasets.Load(AutoencoderNotebooks.Core.RunMode.Full, spec, temp.Path));
        Assert.Contains(temp.File(spec.TrainImages.Name), error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz holds 47,040,016", error.Message);

        // Same size, other bytes: the checksum catches it.
        var labels = spec.TrainLabels with { ContentBytes = 8 + 6 };
        var mismatch = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(temp.File(spec.TrainLabels.Name), labels));
        Assert.Contains($"{spec.TrainLabels.Name}'s is {spec.TrainLabels.ContentSha256}", mismatch.Message);
    }
}
