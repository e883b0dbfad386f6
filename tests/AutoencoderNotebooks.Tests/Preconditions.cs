using AutoencoderNotebooks.Data;

namespace AutoencoderNotebooks.Tests;

/// <summary>A fact that needs Debian's Fashion-MNIST package (<c>.ci/run</c> installs it); reported as skipped where it is missing.</summary>
public sealed class FashionMnistPackageFactAttribute : FactAttribute
{
    /// <summary>The package's folder.</summary>
    public static string Folder => DatasetSpec.FashionMnist.SystemFolders[0];

    /// <summary>Skips the test when the package is not installed.</summary>
    public FashionMnistPackageFactAttribute()
    {
        if (!Directory.Exists(Folder))
            Skip = $"needs {Folder}: sudo apt-get install dataset-fashion-mnist";
    }
}

/// <summary>A fact that reads Linux's /proc; reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    /// <summary>Skips the test off Linux.</summary>
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "reads /proc, which only Linux has";
    }
}

/// <summary>A test that needs Debian's Chromium (the HTML book's browser check); skipped where it is missing.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Skips the test when the browser is not installed.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable)) Skip = $"needs {Executable}: sudo apt-get install chromium";
    }
}
