using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Replaces_the_file_when_the_write_completes()
    {
        using var temp = new TempFolder();
        var path = temp.File("out.txt");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, t => File.WriteAllText(t, "new"));
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        using var temp = new TempFolder();
        var path = temp.File("out.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, t =>
        {
            File.WriteAllText(t, "half");
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void The_new_content_is_flushed_to_disk_before_it_replaces_the_file()
    {
        using var temp = new TempFolder();
        var path = temp.File("out.txt");
        File.WriteAllText(path, "old");
        var seen = new List<(string Flushed, string TargetThen)>();
        void Observe(string flushed)
        {
            if (flushed.StartsWith(path, StringComparison.Ordinal)) seen.Add((File.ReadAllText(flushed), File.ReadAllText(path)));
        }
        AtomicFile.Flushed += Observe;
        try
        {
            AtomicFile.Write(path, t => File.WriteAllText(t, "new"));
        }
        finally
        {
            AtomicFile.Flushed -= Observe;
        }
        Assert.Equal([("new", "old")], seen);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void The_IDX_writer_and_the_downloader_write_through_it()
    {
        using var temp = new TempFolder();
        var flushed = new List<string>();
        void Observe(string f) { if (f.StartsWith(temp.Path, StringComparison.Ordinal)) flushed.Add(f); }
        AtomicFile.Flushed += Observe;
        try
        {
            AutoencoderNotebooks.Data.IdxFile.WriteLabels(temp.File("labels.gz"), [1, 2, 3]);
        }
        finally
        {
            AtomicFile.Flushed -= Observe;
        }
        Assert.StartsWith(temp.File("labels.gz") + ".", Assert.Single(flushed));
        Assert.Single(Directory.GetFiles(temp.Path));
    }
}
