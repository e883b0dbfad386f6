using System.Security.Cryptography;
using AutoencoderNotebooks.Data;

namespace AutoencoderNotebooks.Tests.Data;

public class DownloadTests
{
    private static (byte[] Gzip, string ContentSha256) LabelFile(int count)
    {
        using var temp = new TempFolder();
        IdxFile.WriteLabels(temp.File("labels.gz"), IdxFileTests.Labels(count));
        return (File.ReadAllBytes(temp.File("labels.gz")), Convert.ToHexStringLower(SHA256.HashData(IdxFile.ReadContent(temp.File("labels.gz")))));
    }

    private static async Task<(Exception? Error, string[] FilesLeft, string Progress)> Download(Reply reply, string expectedSha256)
    {
        using var server = new LocalHttpServer(new() { ["labels.gz"] = reply });
        using var temp = new TempFolder();
        using var http = new HttpClient();
        var progress = new StringWriter();
        var downloader = new DatasetDownloader(http, progress);
        var error = await Record.ExceptionAsync(() => downloader.DownloadAsync(new Uri(server.BaseAddress, "labels.gz"), temp.File("labels.gz"), expectedSha256));
        return (error, Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)).ToArray(), progress.ToString());
    }

    [Fact]
    public async Task A_complete_and_correct_download_lands_in_place_with_progress()
    {
        var (gzip, sha) = LabelFile(20000);
        var (error, files, progress) = await Download(new Reply(200, gzip), sha);
        Assert.Null(error);
        Assert.Equal(["labels.gz"], files);
        Assert.Contains("Downloading labels.gz", progress);
        Assert.Contains("100%", progress);
    }

    [Fact]
    public async Task Http_404_is_reported_and_leaves_nothing()
    {
        var (_, sha) = LabelFile(10);
        var (error, files, _) = await Download(new Reply(404, []), sha);
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("HTTP 404", failure.Message);
        Assert.Contains("labels.gz", failure.Message);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_truncated_body_is_reported_and_leaves_nothing()
    {
        var (gzip, sha) = LabelFile(20000);
        var (error, files, _) = await Download(new Reply(200, gzip[..(gzip.Length / 2)], DeclaredLength: gzip.Length), sha);
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("truncated", failure.Message);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_checksum_mismatch_is_reported_and_leaves_nothing()
    {
        var (gzip, _) = LabelFile(100);
        var (_, otherSha) = LabelFile(101);
        var (error, files, _) = await Download(new Reply(200, gzip), otherSha);
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("Checksum mismatch", failure.Message);
        Assert.Contains(otherSha, failure.Message);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_body_that_is_not_gzip_or_IDX_fails_the_checksum()
    {
        var (_, sha) = LabelFile(10);
        var (error, files, _) = await Download(new Reply(200, "<html>proxy login</html>"u8.ToArray()), sha);
        Assert.IsType<DatasetDownloadException>(error);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_verified_download_is_flushed_to_disk_before_it_lands()
    {
        var (gzip, sha) = LabelFile(5);
        var flushed = new List<string>();
        void Observe(string f) { if (f.Contains("labels.gz.", StringComparison.Ordinal)) flushed.Add(f); }
        AutoencoderNotebooks.Platform.AtomicFile.Flushed += Observe;
        try
        {
            var (error, files, _) = await Download(new Reply(200, gzip), sha);
            Assert.Null(error);
            Assert.Equal(["labels.gz"], files);
        }
        finally
        {
            AutoencoderNotebooks.Platform.AtomicFile.Flushed -= Observe;
        }
        Assert.Single(flushed);
    }
}
