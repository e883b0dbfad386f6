namespace AutoencoderNotebooks.Training;

/// <summary>
/// How <see cref="Trainer"/> runs (chapter 2 introduces it; chapter 1 uses it first).
/// </summary>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Samples per optimiser step.</param>
/// <param name="Seed">Seeds torch before the first epoch, so a run is repeatable.</param>
/// <param name="Shuffle">Reshuffle the training set every epoch.</param>
/// <param name="EarlyStoppingPatience">Stop after this many epochs without a better monitored value, then restore the best weights; null trains every epoch.</param>
/// <param name="MinDelta">Smallest improvement of the monitored value that counts for early stopping.</param>
/// <param name="EvaluationBatchSize">Batch size for the validation pass (no gradients, so it can be large).</param>
/// <param name="Label">Shown in progress lines and the summary.</param>
/// <param name="CosineDecay">Lower the learning rate along a cosine from its initial value to zero over all steps (Loshchilov &amp; Hutter, 2017).</param>
/// <param name="Monitor">What early stopping watches (lower is better): null for the validation loss, or a logged metric such as <c>"val mse"</c>.</param>
/// <param name="StepsPerEpoch">Batches per epoch, each epoch from a fresh shuffle; null for one full pass. GANs use it to look at their samples more often than once per pass.</param>
public sealed record TrainingOptions(
    int Epochs,
    int BatchSize = 128,
    int Seed = 42,
    bool Shuffle = true,
    int? EarlyStoppingPatience = null,
    double MinDelta = 0,
    int EvaluationBatchSize = 2048,
    string Label = "training",
    bool CosineDecay = false,
    string? Monitor = null,
    int? StepsPerEpoch = null);
