using AutoencoderNotebooks.Data;

namespace AutoencoderNotebooks.Tests.Data;

public class DataLocatorTests
{
    private static DatasetSpec Spec(string folderName, IReadOnlyList<string> systemFolders, Uri? download = null, string checksum = "") =>
        DatasetSpec.FashionMnist with
        {
            FolderName = folderName,
            EnvironmentVariable = "AE_TEST_DATA_DIR_" + folderName.Replace('-', '_').ToUpperInvariant(),
            SystemFolders = systemFolders,
            DownloadBase = download,
            TrainImages = new("train-images-idx3-ubyte.gz", checksum),
            TrainLabels = new("train-labels-idx1-ubyte.gz", checksum),
            TestImages = new("t10k-images-idx3-ubyte.gz", checksum),
            TestLabels = new("t10k-labels-idx1-ubyte.gz", checksum),
        };

    private static void WriteSet(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var spec = DatasetSpec.FashionMnist;
        IdxFile.WriteImages(Path.Combine(folder, spec.TrainImages.Name), IdxFileTests.Images(count));
        IdxFile.WriteLabels(Path.Combine(folder, spec.TrainLabels.Name), IdxFileTests.Labels(count));
        IdxFile.WriteImages(Path.Combine(folder, spec.TestImages.Name), IdxFileTests.Images(count));
        IdxFile.WriteLabels(Path.Combine(folder, spec.TestLabels.Name), IdxFileTests.Labels(count));
    }

    [Fact]
    public void A_system_folder_with_all_four_files_is_found()
    {
        using var system = new TempFolder();
        WriteSet(system.Path, 3);
        var origin = DataLocator.Locate(Spec("absent-" + Guid.NewGuid().ToString("N"), [system.Path]), allowDownload: false);
        Assert.Equal(system.Path, origin.Folder);
        Assert.Equal("system data set package", origin.How);
    }

    [Fact]
    public void The_environment_variable_wins_and_an_incomplete_folder_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var spec = Spec("absent-" + Guid.NewGuid().ToString("N"), []);
        Environment.SetEnvironmentVariable(spec.EnvironmentVariable, folder.Path);
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => DataLocator.Locate(spec, allowDownload: false));
            Assert.Contains(spec.EnvironmentVariable, error.Message);
            Assert.Contains(folder.Path, error.Message);
            Assert.Contains("train-images-idx3-ubyte.gz", error.Message);

            WriteSet(folder.Path, 2);
            Assert.Equal(spec.EnvironmentVariable, DataLocator.Locate(spec, allowDownload: false).How);
        }
        finally
        {
            Environment.SetEnvironmentVariable(spec.EnvironmentVariable, null);
        }
    }

    [Fact]
    public void Nothing_found_lists_every_place_tried_and_the_fixes()
    {
        using var system = new TempFolder();
        var spec = Spec("absent-" + Guid.NewGuid().ToString("N"), [system.Path]);
        var error = Assert.Throws<FileNotFoundException>(() => DataLocator.Locate(spec, allowDownload: false));
        Assert.Contains($"{spec.EnvironmentVariable}: not set", error.Message);
        Assert.Contains(Path.Combine(DataLocator.RepositoryDataFolder()!, spec.FolderName), error.Message);
        Assert.Contains(system.Path, error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void A_failed_download_is_listed_and_leaves_no_partial_file()
    {
        using var server = new LocalHttpServer([]);
        var spec = Spec("download-" + Guid.NewGuid().ToString("N"), [], server.BaseAddress, checksum: new string('0', 64));
        var target = Path.Combine(DataLocator.RepositoryDataFolder()!, spec.FolderName);
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => DataLocator.Locate(spec, log: TextWriter.Null));
            Assert.Contains("HTTP 404", error.Message);
            Assert.True(!Directory.Exists(target) || Directory.GetFiles(target).Length == 0);
        }
        finally
        {
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void A_successful_download_is_verified_and_then_found_locally()
    {
        using var source = new TempFolder();
        WriteSet(source.Path, 3);
        var files = DatasetSpec.FashionMnist.Files.ToDictionary(f => f.Name, f => new Reply(200, File.ReadAllBytes(source.File(f.Name))));
        using var server = new LocalHttpServer(files);
        var checksums = DatasetSpec.FashionMnist.Files.ToDictionary(f => f.Name, f => DatasetDownloader.ContentSha256(source.File(f.Name)));
        var spec = Spec("download-" + Guid.NewGuid().ToString("N"), [], server.BaseAddress) with
        {
            TrainImages = new("train-images-idx3-ubyte.gz", checksums["train-images-idx3-ubyte.gz"]),
            TrainLabels = new("train-labels-idx1-ubyte.gz", checksums["train-labels-idx1-ubyte.gz"]),
            TestImages = new("t10k-images-idx3-ubyte.gz", checksums["t10k-images-idx3-ubyte.gz"]),
            TestLabels = new("t10k-labels-idx1-ubyte.gz", checksums["t10k-labels-idx1-ubyte.gz"]),
        };
        var target = Path.Combine(DataLocator.RepositoryDataFolder()!, spec.FolderName);
        try
        {
            var downloaded = DataLocator.Locate(spec, log: TextWriter.Null);
            Assert.StartsWith("downloaded", downloaded.How);
            Assert.Equal(4, server.Requests);
            var again = DataLocator.Locate(spec, log: TextWriter.Null);
            Assert.Equal("repository data/ folder", again.How);
            Assert.Equal(4, server.Requests);
        }
        finally
        {
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void A_download_that_times_out_is_listed_with_the_other_places_tried()
    {
        // A server that accepts connections and never answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<System.Net.Sockets.TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await silent.AcceptTcpClientAsync());
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }
        });
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var spec = Spec("timeout-" + Guid.NewGuid().ToString("N"), [], new Uri($"http://127.0.0.1:{port}/"), checksum: new string('0', 64));
        var target = Path.Combine(DataLocator.RepositoryDataFolder()!, spec.FolderName);
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => DataLocator.Locate(spec, http: http, log: TextWriter.Null));
            Assert.Contains("Tried, in order", error.Message);
            Assert.Contains("timed out", error.Message);
            Assert.Contains(spec.EnvironmentVariable, error.Message);
            Assert.True(!Directory.Exists(target) || Directory.GetFiles(target).Length == 0);
        }
        finally
        {
            silent.Stop();
            foreach (var client in accepted) client.Dispose();
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        }
    }
}
