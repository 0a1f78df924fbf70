namespace SpeechEmotion.Training;

/// <summary>Optimiser choice.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (L2 weight decay added to the gradient).</summary>
    Adam,
    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW,
    /// <summary>SGD with momentum (and optional Nesterov).</summary>
    Sgd,
}

/// <summary>Learning-rate schedule, stepped once per epoch.</summary>
public enum ScheduleKind
{
    /// <summary>Constant rate.</summary>
    None,
    /// <summary>Multiply by gamma every step-size epochs.</summary>
    Step,
    /// <summary>Cosine annealing to the minimum rate over the epoch budget.</summary>
    Cosine,
    /// <summary>Multiply by gamma when the validation metric has not improved for plateau-patience epochs.</summary>
    Plateau,
}

/// <summary>How class imbalance is handled.</summary>
public enum ClassBalance
{
    /// <summary>Plain cross-entropy on the data as it is.</summary>
    None,
    /// <summary>Cross-entropy weighted by N / (classes · count of the class) from the training fold.</summary>
    Weights,
    /// <summary>Each epoch draws N samples with replacement, every class equally likely.</summary>
    Sampling,
}

/// <summary>What early stopping and best-checkpoint selection watch on the validation set.</summary>
public enum MonitorMetric
{
    /// <summary>Unweighted average recall (higher is better).</summary>
    Ua,
    /// <summary>Weighted accuracy (higher is better).</summary>
    Wa,
    /// <summary>Validation loss (lower is better).</summary>
    Loss,
    /// <summary>No selection: the last epoch's weights are kept and there is no early stopping (validation is only
    /// logged). For small validation sets whose noise would otherwise pick a lucky early epoch; pair with a fixed
    /// schedule (cosine), not plateau.</summary>
    Last,
}

/// <summary>Loss weights of the multitask heads (the emotion head has weight 1 unless set).</summary>
public sealed record LossWeights
{
    /// <summary>Emotion cross-entropy weight. Default 1.</summary>
    public float Emotion { get; init; } = 1f;

    /// <summary>Binary arousal (high/low, derived from the label) BCE weight. Default 0.3.</summary>
    public float ArousalBinary { get; init; } = 0.3f;

    /// <summary>Binary valence (positive/negative, derived from the label) BCE weight. Default 0.3.</summary>
    public float ValenceBinary { get; init; } = 0.3f;

    /// <summary>Dimensional arousal MSE weight (standardised targets). Default 0.3.</summary>
    public float Arousal { get; init; } = 0.3f;

    /// <summary>Dimensional valence MSE weight (standardised targets). Default 0.3.</summary>
    public float Valence { get; init; } = 0.3f;
}

/// <summary>How one model is fitted. Immutable; <see cref="Validate"/> reports every problem at once.</summary>
public sealed record TrainerOptions
{
    /// <summary>Optimiser. Default Adam.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate (&gt; 0). Default 1e-3.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Weight decay (L2 for Adam/SGD, decoupled for AdamW), ≥ 0. Default 0.</summary>
    public float WeightDecay { get; init; }

    /// <summary>SGD momentum in [0, 1). Default 0.9.</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>SGD Nesterov momentum. Default false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Mini-batch size, 1..4096. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Maximum epochs, 1..100000. Default 50.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Learning-rate schedule. Default none.</summary>
    public ScheduleKind Schedule { get; init; }

    /// <summary>Step schedule period in epochs. Default 10.</summary>
    public int StepSize { get; init; } = 10;

    /// <summary>Step/plateau multiplier in (0, 1). Default 0.5.</summary>
    public float Gamma { get; init; } = 0.5f;

    /// <summary>Cosine/plateau floor. Default 1e-5.</summary>
    public float MinLearningRate { get; init; } = 1e-5f;

    /// <summary>Plateau patience in epochs. Default 5.</summary>
    public int PlateauPatience { get; init; } = 5;

    /// <summary>Gradient clipping by global L2 norm; 0 disables. Default 5.</summary>
    public float ClipNorm { get; init; } = 5f;

    /// <summary>Class imbalance handling. Default class weights.</summary>
    public ClassBalance Balance { get; init; } = ClassBalance.Weights;

    /// <summary>Label smoothing ε in [0, 1). Default 0.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Stop after this many epochs without improvement of <see cref="Monitor"/>; 0 disables. Default 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Validation metric for early stopping and best-checkpoint restore. Default UA.</summary>
    public MonitorMetric Monitor { get; init; } = MonitorMetric.Ua;

    /// <summary>Multitask loss weights.</summary>
    public LossWeights LossWeights { get; init; } = new();

    /// <summary>Seed of the weights, shuffling, sampling and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public TrainerOptions Validate()
    {
        new Problems()
            .Require(LearningRate > 0 && float.IsFinite(LearningRate), $"learning rate must be positive, got {LearningRate}")
            .Require(WeightDecay >= 0, $"weight decay must be ≥ 0, got {WeightDecay}")
            .Require(Momentum is >= 0 and < 1, $"momentum must be in [0, 1), got {Momentum}")
            .Require(BatchSize is >= 1 and <= 4096, $"batch size must be 1..4096, got {BatchSize}")
            .Require(Epochs is >= 1 and <= 100000, $"epochs must be 1..100000, got {Epochs}")
            .Require(StepSize >= 1, $"step size must be ≥ 1, got {StepSize}")
            .Require(Gamma is > 0 and < 1, $"gamma must be in (0, 1), got {Gamma}")
            .Require(MinLearningRate >= 0 && MinLearningRate < LearningRate, $"minimum learning rate must be in [0, learning rate), got {MinLearningRate}")
            .Require(PlateauPatience >= 0, "plateau patience must be ≥ 0")
            .Require(ClipNorm >= 0, $"clip norm must be ≥ 0, got {ClipNorm}")
            .Require(LabelSmoothing is >= 0 and < 1, $"label smoothing must be in [0, 1), got {LabelSmoothing}")
            .Require(Patience >= 0, $"patience must be ≥ 0, got {Patience}")
            .Require(new[] { LossWeights.Emotion, LossWeights.ArousalBinary, LossWeights.ValenceBinary, LossWeights.Arousal, LossWeights.Valence }.All(w => w >= 0 && float.IsFinite(w)), "loss weights must be ≥ 0")
            .ThrowIfAny(nameof(TrainerOptions));
        return this;
    }
}
