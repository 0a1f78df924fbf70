namespace SpeechEmotion.Inference;

/// <summary>Options of <see cref="EmotionRecognizer"/>. Immutable; validated when the recognizer is built.</summary>
public sealed record RecognizerOptions
{
    /// <summary>Default options.</summary>
    public static RecognizerOptions Default { get; } = new();

    /// <summary>
    /// Longest clip (seconds) a whole-clip prediction accepts; longer files are refused before they are
    /// decoded (use <see cref="Timeline"/> / <c>ser timeline</c> for long recordings). Default 600 s
    /// (10 minutes, about 38 MB of float samples at 16 kHz). Range 1..86,400.
    /// </summary>
    public double MaxClipSeconds { get; init; } = 600;

    /// <summary>Shortest clip (seconds) accepted; default 0.1 s.</summary>
    public double MinClipSeconds { get; init; } = 0.1;

    /// <summary>
    /// RMS level (dBFS) at or below which a clip counts as silent and is refused (a silent clip has no
    /// emotion to recognise); default −70 dBFS. Use <see cref="double.NegativeInfinity"/> to accept silence.
    /// </summary>
    public double SilenceDbfs { get; init; } = -70;

    /// <summary>Apply the temperature stored in the model (fitted on validation data); default true.</summary>
    public bool UseCalibration { get; init; } = true;

    /// <summary>Network replicas kept for concurrent calls (each holds its own activation buffers); default: processor count.</summary>
    public int MaxConcurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Clips per forward pass in <see cref="EmotionRecognizer.RecognizeBatch"/>; default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public void Validate() => new Problems()
        .Require(MaxClipSeconds is >= 1 and <= 86_400, $"MaxClipSeconds {MaxClipSeconds} must be in 1..86400")
        .Require(MinClipSeconds >= 0 && MinClipSeconds < MaxClipSeconds, $"MinClipSeconds {MinClipSeconds} must be in [0, MaxClipSeconds)")
        .Require(!double.IsNaN(SilenceDbfs) && SilenceDbfs <= 0, $"SilenceDbfs {SilenceDbfs} must be ≤ 0")
        .Require(MaxConcurrency is >= 1 and <= 1024, $"MaxConcurrency {MaxConcurrency} must be in 1..1024")
        .Require(BatchSize is >= 1 and <= 4096, $"BatchSize {BatchSize} must be in 1..4096")
        .ThrowIfAny(nameof(RecognizerOptions));
}
