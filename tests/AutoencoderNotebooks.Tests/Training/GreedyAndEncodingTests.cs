using AutoencoderNotebooks.Autoencoders;
using AutoencoderNotebooks.Core;
using AutoencoderNotebooks.Evaluation;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Tests.Training;

public class GreedyAndEncodingTests
{
    [Theory]
    [InlineData(new[] { 784, 16 })]
    [InlineData(new[] { 784, 16, 4 })]
    public void Greedy_pretraining_leaves_no_codings_behind(int[] sizes)
    {
        manual_seed(1);
        var images = SampleData.Images(128);
        var settings = new FitSettings(Epochs: 1, BatchSize: 64);
        GreedyLayerwise.Pretrain(sizes, Activation.Selu, images, settings, images); // warm-up: optimiser state types, caches

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var phases = GreedyLayerwise.Pretrain(sizes, Activation.Selu, images, settings, images);
        var created = phases.Sum(p => p.Autoencoder.parameters().Count());
        // Only the shallow autoencoders' own parameters may remain alive.
        Assert.Equal(before + created, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.False(images.IsInvalid);
    }

    [Fact]
    public void EncodeAll_runs_in_eval_mode_without_gradients_and_restores_the_mode()
    {
        var model = new DropoutEncoder();
        model.train();
        var x = ones(50, 8);
        var codings = model.EncodeAll(x, batchSize: 16);
        Assert.True(codings.equal(x).all().item<bool>()); // dropout off: nothing zeroed, nothing scaled
        Assert.False(codings.requires_grad);
        Assert.True(model.training);
    }

    [Fact]
    public void Predict_runs_in_eval_mode_and_restores_the_mode()
    {
        var model = new DropoutEncoder();
        model.train();
        var output = model.Predict(ones(10, 8));
        Assert.True(output.equal(ones(10, 8)).all().item<bool>());
        Assert.True(model.training);
    }

    [Fact]
    public void A_classifier_accepts_any_dense_encoder_of_its_shape_and_activation()
    {
        manual_seed(2);
        var tied = new TiedAutoencoder(StackedAutoencoderConfig.Book);
        var classifier = new EncoderClassifier(StackedAutoencoderConfig.Book, 10);
        classifier.LoadEncoder(tied);
        Assert.True(classifier.parameters().First().equal(tied.SharedWeights[0]).all().item<bool>());

        var relu = new StackedAutoencoder(StackedAutoencoderConfig.Book with { Hidden = Activation.Relu });
        var error = Assert.Throws<ArgumentException>(() => classifier.LoadEncoder(relu));
        Assert.Contains("Relu", error.Message);
        Assert.Throws<ArgumentException>(() => classifier.LoadEncoder(new StackedAutoencoder(new StackedAutoencoderConfig([784, 50, 30]))));
    }

    [Fact]
    public void A_frozen_encoder_does_not_move_even_when_the_optimiser_holds_it()
    {
        manual_seed(3);
        var classifier = new EncoderClassifier(StackedAutoencoderConfig.Book, 10);
        classifier.FreezeEncoder(true);
        var encoderBefore = classifier.parameters().First().detach().clone();
        var outputBefore = classifier.parameters().Last().detach().clone();
        var x = SampleData.Images(16);
        var labels = arange(16).remainder(10);
        using var optimizer = optim.Adam(classifier.parameters(), 1e-2); // every parameter, frozen ones included
        Trainer.Fit(classifier, optimizer, Classification.CrossEntropy(classifier), x, labels,
            new FitSettings(Epochs: 3, BatchSize: 8), "t", progress: TrainingProgress.Silent);
        Assert.True(classifier.parameters().First().equal(encoderBefore).all().item<bool>());
        Assert.False(classifier.parameters().Last().equal(outputBefore).all().item<bool>());
    }

    /// <summary>An "autoencoder" whose encoder is dropout: any training-mode call would zero or scale values.</summary>
    private sealed class DropoutEncoder : nn.Module<Tensor, Tensor>, IAutoencoder
    {
        private readonly Dropout dropout = nn.Dropout(0.5);

        public DropoutEncoder() : base(nameof(DropoutEncoder)) => RegisterComponents();

        public override Tensor forward(Tensor input) => dropout.forward(input);

        public Tensor Encode(Tensor inputs) => dropout.forward(inputs);

        public Tensor Decode(Tensor codings) => codings;

        public Tensor Logits(Tensor inputs) => forward(inputs);
    }
}
