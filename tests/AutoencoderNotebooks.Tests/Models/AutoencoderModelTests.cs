using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Chapters;
using AutoencoderNotebooks.Contractive;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Sparse;
using AutoencoderNotebooks.Variational;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Models;

public class AutoencoderModelTests
{
    public static TheoryData<string> ModelNames() => ["stacked", "tied", "conv", "conv-strided", "recurrent", "recurrent-course", "denoising-gaussian", "denoising-dropout", "sparse", "hashing", "vae", "contractive"];

    internal static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "stacked" => new StackedAutoencoder(StackedAutoencoderConfig.Book),
        "tied" => new TiedAutoencoder(StackedAutoencoderConfig.Book),
        "conv" => new ConvAutoencoder(ConvAutoencoderConfig.Book),
        "conv-strided" => new ConvAutoencoder(ConvAutoencoderConfig.Book with { StridedConvolutions = true }),
        "recurrent" => new RecurrentAutoencoder(RecurrentAutoencoderConfig.Book),
        "recurrent-course" => new RecurrentAutoencoder(new RecurrentAutoencoderConfig(Hidden: 64, RowPositions: true, CodingsToOutput: true, RowHidden: 100)),
        "denoising-gaussian" => new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookGaussian),
        "denoising-dropout" => new DenoisingAutoencoder(DenoisingAutoencoderConfig.BookDropout),
        "sparse" => new SparseAutoencoder(SparseAutoencoderConfig.Book),
        "hashing" => new HashingAutoencoder(HashingAutoencoderConfig.Book),
        "vae" => new VariationalAutoencoder(VariationalAutoencoderConfig.Book),
        "contractive" => new ContractiveAutoencoder(ContractiveAutoencoderConfig.Course),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Output_has_the_input_shape(string name)
    {
        manual_seed(1);
        var model = Create(name);
        var images = SampleData.Images(8);
        var output = model.forward(images);
        Assert.Equal(images.shape, output.shape);
        Assert.Equal([8L, 784], model.forward(images.reshape(8, 784)).shape);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Encode_then_decode_equals_forward(string name)
    {
        manual_seed(2);
        var model = Create(name);
        var autoencoder = (IAutoencoder)model;
        var images = SampleData.Images(4);
        model.eval(); // corruption layers off
        using var noGrad = no_grad();
        var codings = autoencoder.Encode(images);
        Assert.Equal(2, codings.dim());
        Assert.True(autoencoder.Decode(codings).reshape(images.shape).allclose(model.forward(images), atol: 1e-6));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Twenty_steps_reduce_the_reconstruction_loss(string name)
    {
        manual_seed(3);
        var model = Create(name);
        var images = SampleData.Images(640);
        var loss = AutoencoderLosses.BinaryCrossEntropy((IAutoencoder)model);
        var before = Trainer.Evaluate(model, loss, images).Loss;
        var history = Trainer.Fit(model, optim.Adam(model.parameters(), 3e-3), loss, images, null,
            new FitSettings(Epochs: 1, BatchSize: 32), "t", progress: TrainingProgress.Silent); // 20 steps
        var after = Trainer.Evaluate(model, loss, images).Loss;
        Assert.True(after < before - 0.01, $"{name}: loss {before:F4} → {after:F4}");
        Assert.Contains("mse", history.Last.Metrics.Keys); // the MSE is logged beside the BCE
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Fifty_training_steps_and_an_evaluation_leak_no_tensors(string name)
    {
        manual_seed(12);
        var model = Create(name);
        var images = SampleData.Images(400);
        var loss = AutoencoderLosses.BinaryCrossEntropy((IAutoencoder)model);
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        var options = new FitSettings(Epochs: 1, BatchSize: 8); // 50 steps
        Trainer.Fit(model, optimizer, loss, images, null, options, "t", progress: TrainingProgress.Silent);

        var validation = images.narrow(0, 0, 50);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(model, optimizer, loss, images, null, options, "t", validation, progress: TrainingProgress.Silent);
        ReconstructionScores.Evaluate(model, validation);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Tied_weights_share_one_parameter_that_gets_both_gradients()
    {
        manual_seed(4);
        var config = new StackedAutoencoderConfig([784, 100, 30]);
        var tied = new TiedAutoencoder(config);
        var untied = new StackedAutoencoder(config);
        // 784×100 + 100×30 shared weights, encoder biases 100 + 30, decoder biases 100 + 784.
        Assert.Equal(784 * 100 + 100 * 30 + 100 + 30 + 100 + 784, AutoencoderRuns.CountParameters(tied));
        Assert.Equal(2 * (784 * 100 + 100 * 30) + 100 + 30 + 100 + 784, AutoencoderRuns.CountParameters(untied));

        // Autograd cross-check: the shared weight's gradient is the sum of its encoder and decoder uses.
        var x = SampleData.Images(16).reshape(16, 784);
        var w1 = tied.SharedWeights[0];
        var loss = ReconstructionLoss.BinaryCrossEntropyWithLogits(tied.Logits(x), x);
        loss.backward();
        var combined = w1.grad!.clone();

        // The same computation with two independent copies of W1.
        var encoderCopy = w1.detach().clone().requires_grad_(true);
        var decoderCopy = w1.detach().clone().requires_grad_(true);
        var enc2 = tied.SharedWeights[1].detach();
        var biases = tied.parameters().Where(p => p.dim() == 1).Select(p => p.detach()).ToList(); // enc b1, enc b2, dec b2', dec b1'
        var h1 = nn.functional.selu(nn.functional.linear(x, encoderCopy, biases[0]));
        var z = nn.functional.selu(nn.functional.linear(h1, enc2, biases[1]));
        var h2 = nn.functional.selu(nn.functional.linear(z, enc2.t(), biases[2]));
        var logits = nn.functional.linear(h2, decoderCopy.t(), biases[3]);
        ReconstructionLoss.BinaryCrossEntropyWithLogits(logits, x).backward();

        Assert.True(combined.allclose(encoderCopy.grad! + decoderCopy.grad!, rtol: 1e-4, atol: 1e-7));
        Assert.True(encoderCopy.grad!.abs().sum().item<float>() > 0 && decoderCopy.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Stacking_shallow_autoencoders_composes_their_encoders_and_decoders()
    {
        manual_seed(5);
        var first = new StackedAutoencoder(new StackedAutoencoderConfig([784, 100]));
        var second = new StackedAutoencoder(new StackedAutoencoderConfig([100, 30], Output: OutputKind.Hidden));
        var stacked = StackedAutoencoder.Stack([first, second]);
        var x = SampleData.Images(4);
        using var noGrad = no_grad();
        Assert.True(stacked.Encode(x).allclose(second.Encode(first.Encode(x)), atol: 1e-6));
        Assert.True(stacked.Decode(stacked.Encode(x)).allclose(first.Decode(second.Decode(second.Encode(first.Encode(x)))), atol: 1e-6));
        Assert.Equal([784, 100, 30], stacked.Config.Sizes);
        Assert.Throws<ArgumentException>(() => StackedAutoencoder.Stack([second, first]));
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Save_and_load_round_trip_gives_identical_outputs(string name)
    {
        manual_seed(6);
        var model = Create(name);
        var images = SampleData.Images(4);
        using var temp = new TempFolder();
        model.save(temp.File("model.weights"));
        manual_seed(99);
        var fresh = Create(name);
        fresh.load(temp.File("model.weights"));
        model.eval();
        fresh.eval(); // corruption layers off
        using var noGrad = no_grad();
        Assert.True(fresh.forward(images).equal(model.forward(images)).all().item<bool>());
    }

    [Fact]
    public void Classifier_reuses_a_pretrained_encoder_frozen_or_not()
    {
        manual_seed(7);
        var autoencoder = new StackedAutoencoder(StackedAutoencoderConfig.Book);
        var classifier = new EncoderClassifier(StackedAutoencoderConfig.Book, 10);
        classifier.LoadEncoder(autoencoder);
        var x = SampleData.Images(4);
        Assert.Equal([4L, 10], classifier.forward(x).shape);

        classifier.FreezeEncoder(true);
        Assert.Equal(2, classifier.TrainableParameters().Count()); // the output layer's weight and bias
        Assert.True(classifier.parameters().First().equal(autoencoder.EncoderLayers[0].weight!).all().item<bool>());

        classifier.FreezeEncoder(false);
        Assert.Equal(6, classifier.TrainableParameters().Count());
        Assert.Throws<ArgumentException>(() => classifier.LoadEncoder(new StackedAutoencoder(new StackedAutoencoderConfig([784, 50, 30]))));
    }
}
