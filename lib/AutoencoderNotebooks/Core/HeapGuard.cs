using AutoencoderNotebooks.Platform;

namespace AutoencoderNotebooks.Core;

/// <summary>
/// Keeps a run's resident memory bounded (course-wide): starts from a trimmed heap, lets <see cref="NativeHeap"/>
/// trim when the heap has grown around the freed tensors of past batches, and returns the run's memory to the system
/// at the end. Every <see cref="Trainer"/> run has one.
/// </summary>
public sealed class HeapGuard : ITrainingCallback
{
    /// <inheritdoc />
    public void TrainingStarted(TrainingContext context) => NativeHeap.MarkResident();

    /// <inheritdoc />
    public void BatchEnded(TrainingContext context, BatchResult batch) => NativeHeap.ReleaseIfGrown();

    /// <inheritdoc />
    public void TrainingEnded(TrainingContext context, bool completed) => NativeHeap.Trim();
}
