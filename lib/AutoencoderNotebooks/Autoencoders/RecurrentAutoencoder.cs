using AutoencoderNotebooks.Core;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using static TorchSharp.torch;

namespace AutoencoderNotebooks.Autoencoders;

/// <summary>Sizes of a <see cref="RecurrentAutoencoder"/> (chapter 3).</summary>
/// <param name="Hidden">Units of the outer LSTM layers.</param>
/// <param name="Codings">Units of the encoder's last LSTM: the coding size.</param>
/// <param name="RowPositions">Also give the decoder LSTM a one-hot row index at each step, so it need not count rows itself.</param>
/// <param name="CodingsToOutput">Also feed the codings straight to the per-row output layer.</param>
/// <param name="RowHidden">Units of a SELU dense layer between each step's LSTM output and its row of pixels; 0 for none (the book).</param>
public sealed record RecurrentAutoencoderConfig(int Hidden = 100, int Codings = 30, bool RowPositions = false, bool CodingsToOutput = false, int RowHidden = 0)
{
    /// <summary>The book's network: LSTM(100) → LSTM(30) → repeat ×28 → LSTM(100) → Dense(28) per row.</summary>
    public static RecurrentAutoencoderConfig Book { get; } = new();
}

/// <summary>
/// A recurrent autoencoder (chapter 3) that reads an image as a sequence of 28 rows of 28 pixels: two LSTM
/// layers encode the sequence into one coding vector; the decoder repeats it at every time step, runs an
/// LSTM over it and maps each step's output to a row of pixels.
/// </summary>
public sealed class RecurrentAutoencoder : Module<Tensor, Tensor>, IAutoencoder, IConfiguredModel
{
    private const int Rows = 28;
    private readonly LSTM encoderRows;
    private readonly LSTM encoderCodings;
    private readonly LSTM decoderRows;
    private readonly ModuleList<Linear> decoderPixels;

    /// <summary>Builds the layers.</summary>
    public RecurrentAutoencoder(RecurrentAutoencoderConfig config) : base(nameof(RecurrentAutoencoder))
    {
        Config = config;
        encoderRows = LSTM(Rows, config.Hidden, batchFirst: true);
        encoderCodings = LSTM(config.Hidden, config.Codings, batchFirst: true);
        decoderRows = LSTM(config.Codings + (config.RowPositions ? Rows : 0), config.Hidden, batchFirst: true);
        var rowInputs = config.Hidden + (config.CodingsToOutput ? config.Codings : 0);
        decoderPixels = config.RowHidden > 0
            ? new ModuleList<Linear>(Linear(rowInputs, config.RowHidden), Linear(config.RowHidden, Rows))
            : new ModuleList<Linear>(Linear(rowInputs, Rows));
        RegisterComponents();
    }

    /// <summary>The sizes this model was built with.</summary>
    public RecurrentAutoencoderConfig Config { get; }

    object IConfiguredModel.Configuration => Config;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Logits(input).sigmoid();

    /// <inheritdoc />
    public Tensor Logits(Tensor input) => DecodeLogits(Encode(input)).reshape(input.shape);

    /// <summary>The encoder LSTM's last hidden state, [N, codings].</summary>
    public Tensor Encode(Tensor inputs)
    {
        var rows = inputs.reshape(inputs.shape[0], Rows, Rows);
        var (sequence, _, _) = encoderRows.call(rows);
        var (_, last, _) = encoderCodings.call(sequence);
        return last[0];
    }

    /// <inheritdoc />
    public Tensor Decode(Tensor codings) => DecodeLogits(codings).sigmoid();

    private Tensor DecodeLogits(Tensor codings)
    {
        var repeated = codings.unsqueeze(1).expand(codings.shape[0], Rows, codings.shape[1]);
        var inputs = Config.RowPositions
            ? cat([repeated, eye(Rows, dtype: codings.dtype, device: codings.device).unsqueeze(0).expand(codings.shape[0], Rows, Rows)], 2)
            : repeated;
        var (sequence, _, _) = decoderRows.call(inputs);
        return Activation.Selu.Through(decoderPixels, Config.CodingsToOutput ? cat([sequence, repeated], 2) : sequence, activateLast: false);
    }
}
