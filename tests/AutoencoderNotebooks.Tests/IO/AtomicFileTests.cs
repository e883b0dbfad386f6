using AutoencoderNotebooks.IO;

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
}
