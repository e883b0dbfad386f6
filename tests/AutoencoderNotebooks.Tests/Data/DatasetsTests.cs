using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;

namespace AutoencoderNotebooks.Tests.Data;

public class DatasetsTests
{
    private static readonly string[] TenClasses = DatasetSpec.FashionMnist.ClassNames.ToArray();

    [Fact]
    public void Wrong_image_dimensions_are_reported()
    {
        using var temp = new TempFolder();
        IdxFile.WriteImages(temp.File("images.gz"), IdxFileTests.Images(4, side: 32));
        IdxFile.WriteLabels(temp.File("labels.gz"), IdxFileTests.Labels(4));
        var error = Assert.Throws<InvalidDataException>(() => Datasets.LoadSplit(temp.File("images.gz"), temp.File("labels.gz"), TenClasses));
        Assert.Contains("expected 28×28 images, found 32×32", error.Message);
        Assert.Contains(temp.File("images.gz"), error.Message);
    }

    [Fact]
    public void Image_and_label_count_mismatch_is_reported_with_both_files()
    {
        using var temp = new TempFolder();
        IdxFile.WriteImages(temp.File("images.gz"), IdxFileTests.Images(4));
        IdxFile.WriteLabels(temp.File("labels.gz"), IdxFileTests.Labels(5));
        var error = Assert.Throws<InvalidDataException>(() => Datasets.LoadSplit(temp.File("images.gz"), temp.File("labels.gz"), TenClasses));
        Assert.Contains("4 images", error.Message);
        Assert.Contains("5 labels", error.Message);
        Assert.Contains(temp.File("labels.gz"), error.Message);
    }

    [Fact]
    public void A_split_is_one_float_tensor_in_unit_range_with_int64_labels()
    {
        using var temp = new TempFolder();
        var images = IdxFileTests.Images(6);
        IdxFile.WriteImages(temp.File("images.gz"), images);
        IdxFile.WriteLabels(temp.File("labels"), IdxFileTests.Labels(6), gzip: false);

        using var set = Datasets.LoadSplit(temp.File("images.gz"), temp.File("labels"), TenClasses);
        using var flat = Datasets.LoadSplit(temp.File("images.gz"), temp.File("labels"), TenClasses, flatten: true);

        Assert.Equal([6L, 28, 28], set.Images.shape);
        Assert.Equal([6L, 784], flat.Images.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, set.Images.dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, set.Labels.dtype);
        Assert.Equal(images.Pixels[100] / 255f, set.Images.reshape(-1)[100].item<float>(), 6);
        Assert.Equal(IdxFileTests.Labels(6).Select(b => (long)b), set.Labels.data<long>().ToArray());
    }

    [Fact]
    public void MNIST_digits_load_through_the_same_code_from_a_folder()
    {
        using var temp = new TempFolder();
        var spec = DatasetSpec.Mnist;
        IdxFile.WriteImages(temp.File(spec.TrainImages.Name), IdxFileTests.Images(6));
        IdxFile.WriteLabels(temp.File(spec.TrainLabels.Name), IdxFileTests.Labels(6));
        IdxFile.WriteImages(Path.Combine(temp.Path, "t10k-images-idx3-ubyte"), IdxFileTests.Images(3), gzip: false);
        IdxFile.WriteLabels(Path.Combine(temp.Path, "t10k-labels-idx1-ubyte"), IdxFileTests.Labels(3), gzip: false);

        using var data = Datasets.Load(RunMode.Full, spec, temp.Path);

        Assert.Equal((6, 3), (data.Train.Count, data.Test.Count));
        Assert.Equal("7", data.Train.ClassNames[7]);
        Assert.Equal("explicit folder", data.Origin.How);
    }

    [Fact]
    public void Quick_mode_loads_the_bundled_sample()
    {
        using var data = Datasets.Load(RunMode.Quick);
        Assert.Equal("bundled sample", data.Origin.How);
        Assert.Equal(SampleSize.Train, data.Train.Count);
        Assert.Equal(SampleSize.Test, data.Test.Count);
        Assert.All(data.Train.ClassCounts(), c => Assert.InRange(c, SampleSize.Train / 20, SampleSize.Train / 5));
        var (train, validation) = data.SplitValidation(500);
        Assert.Equal((SampleSize.Train - 500, 500), (train.Count, validation.Count));
        Assert.True(validation.Images[0].allclose(data.Train.Images[SampleSize.Train - 500], rtol: 0, atol: 0));
    }

    [FashionMnistPackageFact]
    public void The_bundled_sample_is_the_head_of_the_Debian_package()
    {
        var package = FashionMnistPackageFactAttribute.Folder;
        using var temp = new TempFolder();
        Datasets.WriteSample(DatasetSpec.FashionMnist, package, temp.Path, SampleSize.Train, SampleSize.Test);
        var sample = DataLocator.Sample(DatasetSpec.FashionMnist).Folder;
        foreach (var file in DatasetSpec.FashionMnist.Files)
            Assert.Equal(IdxFile.ReadContent(temp.File(file.Name)), IdxFile.ReadContent(Path.Combine(sample, file.Name)));
    }

    [FashionMnistPackageFact]
    public void The_Debian_package_matches_the_checksums_kept_in_the_repo()
    {
        var package = FashionMnistPackageFactAttribute.Folder;
        foreach (var file in DatasetSpec.FashionMnist.Files)
            Assert.Equal(file.ContentSha256, DatasetDownloader.ContentSha256(Path.Combine(package, file.Name)));
    }
}
