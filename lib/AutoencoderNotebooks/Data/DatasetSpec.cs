namespace AutoencoderNotebooks.Data;

/// <summary>One file of a data set: its name, the SHA-256 of its decompressed IDX content and that content's size. (chapter 0)</summary>
/// <param name="Name">The file name, with <c>.gz</c>.</param>
/// <param name="ContentSha256">SHA-256 (hex) of the IDX bytes; empty when none is kept (then nothing is verified).</param>
/// <param name="ContentBytes">Size of the IDX bytes; 0 when unknown. Reading never decompresses more than this.</param>
/// <remarks>
/// The checksum covers the IDX bytes, not the gzip wrapper, so a mirror or a distribution that re-compressed
/// the files (Debian did) verifies the same.
/// </remarks>
public sealed record DatasetFile(string Name, string ContentSha256, long ContentBytes = 0);

/// <summary>
/// An MNIST-format data set: file names, class names, where to download it and checksums (chapter 0).
/// </summary>
public sealed record DatasetSpec(
    string Name,
    string FolderName,
    string EnvironmentVariable,
    IReadOnlyList<string> ClassNames,
    DatasetFile TrainImages,
    DatasetFile TrainLabels,
    DatasetFile TestImages,
    DatasetFile TestLabels,
    Uri? DownloadBase,
    IReadOnlyList<string> SystemFolders)
{
    /// <summary>Fashion-MNIST (Zalando Research, MIT licence): the course's data set.</summary>
    public static DatasetSpec FashionMnist { get; } = new(
        "Fashion-MNIST",
        "fashion-mnist",
        "FASHION_MNIST_DIR",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
        new("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
        new("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
        new("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008),
        new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        ["/usr/share/datasets/fashion-mnist"]);

    /// <summary>
    /// MNIST handwritten digits, read by the same code. No download checksums are kept for it, so it loads
    /// from a folder you provide (<c>MNIST_DIR</c> or <c>data/mnist/</c>).
    /// </summary>
    public static DatasetSpec Mnist { get; } = new(
        "MNIST",
        "mnist",
        "MNIST_DIR",
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        new("train-images-idx3-ubyte.gz", ""),
        new("train-labels-idx1-ubyte.gz", ""),
        new("t10k-images-idx3-ubyte.gz", ""),
        new("t10k-labels-idx1-ubyte.gz", ""),
        null,
        []);

    /// <summary>The four files, train first.</summary>
    public IEnumerable<DatasetFile> Files => [TrainImages, TrainLabels, TestImages, TestLabels];
}
