using System.Runtime.InteropServices;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Charts;

/// <summary>One line of the environment check. (chapter 0)</summary>
public sealed record EnvironmentItem(string Item, string Value);

/// <summary>Chapter 0's environment check: versions, threads, native fix and data source.</summary>
public static class EnvironmentReport
{
    /// <summary>The environment check as an HTML table.</summary>
    public static HtmlOutput Show(DataOrigin? data = null) => HtmlTable.From(Collect(data));

    /// <summary>Collects the environment facts a learner or instructor checks first.</summary>
    public static IReadOnlyList<EnvironmentItem> Collect(DataOrigin? data = null)
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";
        return
        [
            new(".NET", RuntimeInformation.FrameworkDescription),
            new("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
            new("TorchSharp", torchSharp),
            new("libtorch", TorchSharp.torch.__version__ ?? "?"),
            new("torch threads", TorchSharp.torch.get_num_threads().ToString()),
            new("logical processors", Environment.ProcessorCount.ToString()),
            new("CPU", CpuInfo.Describe()),
            new("libstdc++ fix", LibTorchSharpNativeFix.HostNeedsFix()
                ? $"needed ({LibTorchSharpNativeFix.MissingVersion} missing) and applied"
                : "not needed on this host"),
            new("run mode", CourseSession.Current.Mode.ToString()),
            new("data", data is null ? "(not loaded)" : $"{data.Folder} ({data.How})"),
        ];
    }
}
