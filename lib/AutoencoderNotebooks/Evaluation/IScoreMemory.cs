namespace AutoencoderNotebooks.Evaluation;

/// <summary>
/// Where scores of a generator's samples are kept (chapters 8–10): scoring 5,000 samples of a diffusion model takes a
/// minute, and the same model is scored again by a later chapter, or by pretrained mode for the weights a full run
/// scored. The course's memory is its model store (<c>AutoencoderRuns.Yardstick</c>).
/// </summary>
public interface IScoreMemory
{
    /// <summary>The value remembered under <paramref name="identity"/>, or <paramref name="compute"/>'s (then remembered).</summary>
    /// <param name="identity">Everything the value depends on, naming each model as <c>key:&lt;hash&gt;</c>.</param>
    /// <param name="compute">Computes the value; a record that serialises to JSON.</param>
    T Recall<T>(string identity, Func<T> compute) where T : class;
}
