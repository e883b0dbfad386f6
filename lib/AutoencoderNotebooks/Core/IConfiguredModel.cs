namespace AutoencoderNotebooks.Core;

/// <summary>
/// A model built from a configuration record (chapter 2): the record's values, with the model's type, identify
/// the architecture when a trained model is saved and looked up again (the model store's key).
/// </summary>
public interface IConfiguredModel
{
    /// <summary>The configuration record the model was built from.</summary>
    object Configuration { get; }
}
