using AutoencoderNotebooks.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_trains_one_step_in_the_test_process()
    {
        manual_seed(1);
        var model = nn.Linear(4, 1);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var x = randn(16, 4);
        var y = x.sum(1, keepdim: true);

        var before = nn.functional.mse_loss(model.forward(x), y);
        optimizer.zero_grad();
        before.backward();
        optimizer.step();
        var after = nn.functional.mse_loss(model.forward(x), y);

        Assert.True(after.item<float>() < before.item<float>());
    }

    [Fact]
    public void Host_check_matches_the_libstdcxx_the_loader_uses()
    {
        // On Debian 12 (CI) libstdc++ is GCC 12's, so the fix is needed; where it is not, nothing is patched.
        var needed = LibTorchSharpNativeFix.HostNeedsFix();
        var debian12 = File.Exists("/etc/debian_version") && File.ReadAllText("/etc/debian_version").StartsWith("12");
        if (debian12) Assert.True(needed);
        if (!OperatingSystem.IsLinux()) Assert.False(needed);
    }

    [Fact]
    public void Candidate_files_include_the_NuGet_cache_copy()
    {
        var candidates = LibTorchSharpNativeFix.CandidateFiles().Select(Path.GetFullPath).ToList();
        Assert.Contains(Path.GetFullPath(Path.Combine(LibTorchSharpNativeFix.NuGetPackageRoot(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so")), candidates);
    }
}
