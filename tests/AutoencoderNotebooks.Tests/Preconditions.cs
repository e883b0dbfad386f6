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

/// <summary>A theory that needs Linux (signals and <c>/proc</c>); skipped elsewhere.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test off Linux.</summary>
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux's signals and /proc";
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

/// <summary>
/// A test that executes a notebook with Jupyter: needs <c>jupyter-nbconvert</c> (Debian's package), the .NET Interactive
/// C# kernel registered with Jupyter (<c>dotnet tool run dotnet-interactive jupyter install</c>) and Chromium;
/// <c>.ci/run</c> sets up all three. Skipped, with what is missing, elsewhere.
/// </summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>The kernel the course's notebooks declare.</summary>
    public const string Kernel = ".net-csharp";

    /// <summary>jupyter-nbconvert on the PATH, or null.</summary>
    public static string? NbConvert { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(folder => Path.Combine(folder, "jupyter-nbconvert")).FirstOrDefault(File.Exists);

    // Where `dotnet interactive jupyter install` and Jupyter's system installs put kernel specs on Linux.
    private static bool KernelRegistered() =>
        new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/jupyter/kernels"), "/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels" }
            .Any(folder => File.Exists(Path.Combine(folder, Kernel, "kernel.json")));

    /// <summary>Skips the test when nbconvert, the kernel or the browser is missing.</summary>
    public JupyterFactAttribute()
    {
        if (NbConvert is null) Skip = "needs jupyter-nbconvert: sudo apt-get install jupyter-nbconvert";
        else if (!KernelRegistered()) Skip = $"needs Jupyter's {Kernel} kernel: dotnet tool run dotnet-interactive jupyter install";
        else if (!File.Exists(ChromiumFactAttribute.Executable)) Skip = $"needs {ChromiumFactAttribute.Executable}: sudo apt-get install chromium";
    }
}
