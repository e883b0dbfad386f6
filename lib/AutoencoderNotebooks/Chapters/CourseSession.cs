using AutoencoderNotebooks.Core;

namespace AutoencoderNotebooks.Chapters;

/// <summary>What the notebook host's setup configured for this session: run mode, seed, threads. (chapter 0)</summary>
public sealed record CourseSession(RunMode Mode, int Seed, int Threads, string TorchSharpVersion)
{
    /// <summary>True in quick mode (bundled sample, few epochs).</summary>
    public bool Quick => Mode == RunMode.Quick;

    /// <summary>Picks the full-mode or the quick-mode value of a setting.</summary>
    public T Pick<T>(T full, T quick) => Quick ? quick : full;
}
