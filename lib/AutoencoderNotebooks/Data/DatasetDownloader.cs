using System.Security.Cryptography;
using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Data;

/// <summary>A download that failed; the message names the address, the file and the fix. (chapter 0)</summary>
public sealed class DatasetDownloadException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Downloads a data set file with visible progress, verifies its SHA-256 and moves it into place only when
/// it is complete and correct, so a partial or corrupt file never stays in the cache (chapter 0).
/// </summary>
public sealed class DatasetDownloader(HttpClient http, TextWriter progress)
{
    /// <summary>Downloads <paramref name="url"/> to <paramref name="destination"/>.</summary>
    /// <param name="url">The file's address.</param>
    /// <param name="destination">Where the verified file ends up.</param>
    /// <param name="expectedContentSha256">SHA-256 (hex) of the decompressed IDX content.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <exception cref="DatasetDownloadException">HTTP error, truncated body or checksum mismatch.</exception>
    public async Task DownloadAsync(Uri url, string destination, string expectedContentSha256, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var partial = AtomicFile.TemporaryPathFor(destination) + ".partial";
        try
        {
            using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
            {
                if (!response.IsSuccessStatusCode)
                    throw new DatasetDownloadException(
                        $"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. " +
                        "Check the address and your connection, or install the data set locally (see README).");
                var length = response.Content.Headers.ContentLength;
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var file = File.Create(partial);
                var received = await CopyWithProgressAsync(body, file, length, Path.GetFileName(destination), cancellationToken);
                if (length is { } expected && received != expected)
                    throw Truncated(url, received, expected, null);
            }

            Verify(url, partial, expectedContentSha256);
            AtomicFile.Replace(partial, destination);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation the caller did not ask for.
            throw new DatasetDownloadException(
                $"Download of {url} timed out after {http.Timeout.TotalSeconds:N0} s. The partial file was removed; " +
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

    private static void Verify(Uri url, string path, string expected)
    {
        string actual;
        try
        {
            actual = ContentSha256(path);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetDownloadException($"Download of {url} is not valid gzip data ({e.Message}); the file was discarded.", e);
        }
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new DatasetDownloadException(
                $"Checksum mismatch for {url}: SHA-256 of its content is {actual}, expected {expected}. " +
                "The file was discarded; the server sent something else (a proxy page, a different version).");
    }

    private async Task<long> CopyWithProgressAsync(Stream source, Stream target, long? length, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long received = 0;
        var nextReport = 0.1;
        progress.WriteLine(length is { } total ? $"Downloading {name} ({total / 1e6:F1} MB)..." : $"Downloading {name}...");
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                received += read;
                if (length is > 0 && received >= nextReport * length.Value)
                {
                    progress.WriteLine($"  {name}: {100.0 * received / length.Value:F0}%");
                    while (nextReport * length.Value <= received) nextReport += 0.1;
                }
            }
        }
        catch (IOException e) when (length is not null)
        {
            throw Truncated(null, received, length.Value, e);
        }
        return received;
    }

    private static DatasetDownloadException Truncated(Uri? url, long received, long expected, Exception? inner) =>
        new($"Download{(url is null ? "" : $" of {url}")} was truncated: received {received:N0} of {expected:N0} bytes. " +
            "The partial file was removed; try again.", inner);
}
