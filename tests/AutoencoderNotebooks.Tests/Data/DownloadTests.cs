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

    private static Task<(Exception? Error, string[] FilesLeft, string Progress)> Download(Reply reply, string expectedSha256) =>
        Download(reply, new DatasetFile("labels.gz", expectedSha256), new DatasetDownloader(new HttpClient(), TextWriter.Null));

    private static async Task<(Exception? Error, string[] FilesLeft, string Progress)> Download(Reply reply, DatasetFile expected, DatasetDownloader configured)
    {
        using var server = new LocalHttpServer(new() { ["labels.gz"] = reply });
        using var temp = new TempFolder();
        using var http = new HttpClient();
        var progress = new StringWriter();
        var downloader = new DatasetDownloader(http, progress) { TotalLimit = configured.TotalLimit, StallLimit = configured.StallLimit };
        var error = await Record.ExceptionAsync(() => downloader.DownloadAsync(new Uri(server.BaseAddress, "labels.gz"), temp.File("labels.gz"), expected));
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

    [Fact]
    public async Task A_body_that_stalls_is_stopped_at_the_stall_limit_and_leaves_nothing()
    {
        var (gzip, sha) = LabelFile(20000);
        var quiet = new DatasetDownloader(new HttpClient(), TextWriter.Null) { StallLimit = TimeSpan.FromSeconds(1) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (error, files, _) = await Download(new Reply(200, gzip[..10], DeclaredLength: gzip.Length, StallFor: TimeSpan.FromSeconds(30)), new DatasetFile("labels.gz", sha), quiet);
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("stalled: nothing received for 1 s after 10 bytes", failure.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_download_slower_than_the_total_limit_is_stopped_and_leaves_nothing()
    {
        var (gzip, sha) = LabelFile(20000);
        var hurried = new DatasetDownloader(new HttpClient(), TextWriter.Null) { TotalLimit = TimeSpan.FromSeconds(1), StallLimit = TimeSpan.FromSeconds(20) };
        var (error, files, _) = await Download(new Reply(200, gzip[..10], DeclaredLength: gzip.Length, StallFor: TimeSpan.FromSeconds(30)), new DatasetFile("labels.gz", sha), hurried);
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("timed out after 1 s", failure.Message);
        Assert.Empty(files);
    }

    [Fact]
    public async Task A_body_larger_than_the_file_can_be_is_refused_and_leaves_nothing()
    {
        var (_, sha) = LabelFile(10);
        var (error, files, _) = await Download(new Reply(200, new byte[3_000_000]), new DatasetFile("labels.gz", sha, ContentBytes: 18), new DatasetDownloader(new HttpClient(), TextWriter.Null));
        var failure = Assert.IsType<DatasetDownloadException>(error);
        Assert.Contains("more than labels.gz can be", failure.Message);
        Assert.Empty(files);
    }
}
