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
    /// <summary>Records resident memory and live tensors after every epoch.</summary>
    private sealed class MemoryProbe : ITrainingCallback
    {
        public List<long> Resident { get; } = [];
        public List<long> LiveTensors { get; } = [];

        public void EpochEnded(TrainingContext context, EpochResult result)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
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
            Assert.True(probe.Resident[epoch - 1] <= 1.05 * memoryAtEpoch2,
                $"epoch {epoch}: {probe.Resident[epoch - 1] / 1e6:F0} MB resident vs {memoryAtEpoch2 / 1e6:F0} MB after epoch 2");
            Assert.True(probe.LiveTensors[epoch - 1] <= tensorsAtEpoch2 * 1.05,
                $"epoch {epoch}: {probe.LiveTensors[epoch - 1]} live tensors vs {tensorsAtEpoch2} after epoch 2");
        }
    }
}
