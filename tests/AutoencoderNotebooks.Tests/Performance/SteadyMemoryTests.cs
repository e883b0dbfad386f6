using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Data;
using AutoencoderNotebooks.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Performance;

/// <summary>Training does not grow: resident memory and live tensors stay flat from epoch to epoch.</summary>
public class SteadyMemoryTests
{
    /// <summary>
    /// Records what the process holds after every epoch: resident memory once the heap's free pages are handed back,
    /// and live tensors. Without the trim the reading includes free pages the loop keeps mapped on purpose (up to
    /// <see cref="NativeHeap.GrowthLimit"/> between trims), which varied by 116 MB from one epoch to the next in CI
    /// when earlier tests had left the heap fragmented, and says nothing about a leak.
    /// </summary>
    private sealed class MemoryProbe : ITrainingCallback
    {
        public List<long> Resident { get; } = [];
        public List<long> LiveTensors { get; } = [];

        public void EpochEnded(TrainingContext context, EpochResult result)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            NativeHeap.Trim();
            Resident.Add(NativeHeap.ResidentBytes()!.Value);
            LiveTensors.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [LinuxFact]
    public void Twenty_epochs_of_training_keep_memory_and_live_tensors_flat_after_epoch_2()
    {
        NativeHeap.Tune(); // as Course.Setup does in every notebook and the runner at start
        manual_seed(7);
        // Its own copy of the sample, freed before training (the shared one would change what the process holds).
        Tensor images, validation;
        using (var sample = Datasets.Load(RunMode.Quick))
        {
            images = sample.Train.Images.narrow(0, 0, 2000).clone();
            validation = sample.Train.Images.narrow(0, 2000, 500).clone();
        }
        using var _ = images;
        using var __ = validation;
        var model = new ConvAutoencoder(ConvAutoencoderConfig.Book);
        var settings = new FitSettings(Epochs: 20, BatchSize: 128);
        using var step = new ModelStep(model, settings.CreateOptimizer(model.parameters()), Objective.BinaryCrossEntropy.For(model), ownsOptimizer: true);
        var probe = new MemoryProbe();
        Trainer.Fit(step, images, null, settings, "steady", validation, progress: probe);

        Assert.Equal(20, probe.Resident.Count);
        Console.WriteLine(string.Join(", ", probe.Resident.Select(r => $"{r / 1e6:F0}")) + " MB; live tensors " + string.Join(", ", probe.LiveTensors));
        var (memoryAtEpoch2, tensorsAtEpoch2) = (probe.Resident[1], probe.LiveTensors[1]);
        for (var epoch = 3; epoch <= 20; epoch++)
        {
            // 5% plus 32 MB: libtorch's caches still settle after epoch 2 (13 MB seen alone, at 300 MB); one leaked
            // batch of this model's activations per epoch would add over 200 MB by epoch 20.
            Assert.True(probe.Resident[epoch - 1] <= 1.05 * memoryAtEpoch2 + 32e6,
                $"epoch {epoch}: {probe.Resident[epoch - 1] / 1e6:F0} MB resident vs {memoryAtEpoch2 / 1e6:F0} MB after epoch 2");
            Assert.True(probe.LiveTensors[epoch - 1] <= tensorsAtEpoch2 * 1.05,
                $"epoch {epoch}: {probe.LiveTensors[epoch - 1]} live tensors vs {tensorsAtEpoch2} after epoch 2");
        }
    }
}
