using System.Security.Cryptography;
using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Data;

/// <summary>A download that failed; the message names the address, the file and the fix. (chapter 0)</summary>
public sealed class DatasetDownloadException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Downloads a data set file with visible progress, verifies it and moves it into place only when it is complete and
/// correct, so a partial or corrupt file never stays in the cache (chapter 0). Bounded in every way a server could
/// stretch it: a total time limit, a stall limit on the body (HttpClient's own timeout ends when the headers arrive), a
/// body no larger than the file can be, and decompression that stops at the content's known size.
/// </summary>
public sealed class DatasetDownloader(HttpClient http, TextWriter progress)
{
    /// <summary>The longest a whole file may take (headers and body).</summary>
    public TimeSpan TotalLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest the body may send nothing.</summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>.</summary>
    /// <param name="url">The file's address.</param>
    /// <param name="destination">Where the verified file ends up.</param>
    /// <param name="expected">The file it must be: the SHA-256 and size of its decompressed IDX content.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <exception cref="DatasetDownloadException">HTTP error, time or stall limit, truncated or oversized body, checksum mismatch.</exception>
    public async Task DownloadAsync(Uri url, string destination, DatasetFile expected, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var partial = AtomicFile.TemporaryPathFor(destination) + ".partial";
        // A gzip file is never much larger than its content; without a known size, no MNIST-format file is this large.
        var maxBody = (expected.ContentBytes > 0 ? expected.ContentBytes : IdxFile.MaxContentBytes) + 1024 * 1024;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(TotalLimit);
        try
        {
            using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, total.Token))
            {
                if (!response.IsSuccessStatusCode)
                    throw new DatasetDownloadException(
                        $"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. " +
                        "Check the address and your connection, or install the data set locally (see README).");
                var length = response.Content.Headers.ContentLength;
                if (length > maxBody)
                    throw new DatasetDownloadException($"Download of {url} refused: the server announces {length:N0} bytes, more than {expected.Name} can be ({maxBody:N0}). Check the address.");
                await using var body = await response.Content.ReadAsStreamAsync(total.Token);
                await using var file = File.Create(partial);
                var received = await CopyWithProgressAsync(url, body, file, length, maxBody, Path.GetFileName(destination), total);
                if (length is { } announced && received != announced)
                    throw Truncated(url, received, announced, null);
            }

            Verify(url, partial, expected);
            AtomicFile.Replace(partial, destination);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout, and our time limit, as a cancellation the caller did not ask for.
            var limit = total.IsCancellationRequested ? TotalLimit : http.Timeout;
            throw new DatasetDownloadException(
                $"Download of {url} timed out after {limit.TotalSeconds:N0} s. The partial file was removed; " +
                "check your connection and try again, or install the data set locally (see README).", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && e is not DatasetDownloadException)
        {
            throw new DatasetDownloadException($"Download of {url} failed: {e.Message} The partial file was removed; try again.", e);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>SHA-256 (lower-case hex) of a file's IDX content, decompressed if it is gzip.</summary>
    public static string ContentSha256(string path) => Convert.ToHexStringLower(SHA256.HashData(IdxFile.ReadContent(path)));

    private static void Verify(Uri url, string path, DatasetFile expected)
    {
        byte[] content;
        try
        {
            content = IdxFile.ReadContent(path, expected with { ContentSha256 = "" }); // bounded by, and checked against, the content's size
        }
        catch (InvalidDataException e)
        {
            throw new DatasetDownloadException($"Download of {url} is not valid {expected.Name} data ({e.Message.Replace(path + ": ", "")}); the file was discarded. " +
                                               "The server sent something else (a proxy page, a different version).", e);
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(actual, expected.ContentSha256, StringComparison.OrdinalIgnoreCase))
            throw new DatasetDownloadException(
                $"Checksum mismatch for {url}: SHA-256 of its content is {actual}, expected {expected.ContentSha256}. " +
                "The file was discarded; the server sent something else (a proxy page, a different version).");
    }

    private async Task<long> CopyWithProgressAsync(Uri url, Stream source, Stream target, long? length, long maxBody, string name, CancellationTokenSource total)
    {
        var buffer = new byte[81920];
        long received = 0;
        var nextReport = 0.1;
        progress.WriteLine(length is { } announced ? $"Downloading {name} ({announced / 1e6:F1} MB)..." : $"Downloading {name}...");
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
        try
        {
            while (true)
            {
                stall.CancelAfter(StallLimit); // restarts with every read
                var read = await source.ReadAsync(buffer, stall.Token);
                if (read == 0) break;
                received += read;
                if (received > maxBody)
                    throw new DatasetDownloadException($"Download of {url} stopped at {received:N0} bytes: more than {name} can be ({maxBody:N0}). The partial file was removed; check the address.");
                await target.WriteAsync(buffer.AsMemory(0, read), total.Token);
                if (length is > 0 && received >= nextReport * length.Value)
                {
                    progress.WriteLine($"  {name}: {100.0 * received / length.Value:F0}%");
                    while (nextReport * length.Value <= received) nextReport += 0.1;
                }
            }
        }
        catch (OperationCanceledException e) when (stall.IsCancellationRequested && !total.IsCancellationRequested)
        {
            throw new DatasetDownloadException($"Download of {url} stalled: nothing received for {StallLimit.TotalSeconds:N0} s after {received:N0} bytes. " +
                                               "The partial file was removed; check your connection and try again.", e);
        }
        catch (IOException e) when (length is not null)
        {
            throw Truncated(url, received, length.Value, e);
        }
        return received;
    }

    private static DatasetDownloadException Truncated(Uri url, long received, long expected, Exception? inner) =>
        new($"Download of {url} was truncated: received {received:N0} of {expected:N0} bytes. The partial file was removed; try again.", inner);
}
