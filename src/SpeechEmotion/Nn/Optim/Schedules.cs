namespace SpeechEmotion.Nn;

/// <summary>A learning-rate schedule stepped once per epoch; it sets the optimiser's learning rate.</summary>
public abstract class LrSchedule
{
    /// <summary>Creates the schedule; the optimiser's current rate is the base rate.</summary>
    protected LrSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer;
        BaseLr = optimizer.LearningRate;
    }

    /// <summary>The optimiser whose rate is set.</summary>
    protected Optimizer Optimizer { get; }

    /// <summary>The initial learning rate.</summary>
    public float BaseLr { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>Ends an epoch; <paramref name="metric"/> is the monitored value (used by reduce-on-plateau).</summary>
    public void Step(double metric = double.NaN)
    {
        Epoch++;
        Optimizer.LearningRate = Next(metric);
    }

    /// <summary>The rate for the epoch after <see cref="Epoch"/> epochs.</summary>
    protected abstract float Next(double metric);
}

/// <summary>Multiplies the rate by gamma every <c>stepSize</c> epochs.</summary>
public sealed class StepLr(Optimizer optimizer, int stepSize, float gamma = 0.1f) : LrSchedule(optimizer)
{
    /// <inheritdoc/>
    protected override float Next(double metric) => BaseLr * MathF.Pow(gamma, Epoch / Math.Max(1, stepSize));
}

/// <summary>Cosine annealing from the base rate to <c>minLr</c> over <c>periodEpochs</c> epochs.</summary>
public sealed class CosineLr(Optimizer optimizer, int periodEpochs, float minLr = 0) : LrSchedule(optimizer)
{
    /// <inheritdoc/>
    protected override float Next(double metric) =>
        minLr + (BaseLr - minLr) * (1 + MathF.Cos(MathF.PI * Math.Min(Epoch, periodEpochs) / periodEpochs)) / 2;
}

/// <summary>Multiplies the rate by <c>factor</c> when the monitored metric (lower is better unless
/// <c>maximize</c>) has not improved by more than <c>threshold</c> (relative) for <c>patience</c> epochs.</summary>
public sealed class ReduceOnPlateau(Optimizer optimizer, float factor = 0.1f, int patience = 10, double threshold = 1e-4,
    bool maximize = false, float minLr = 0, int cooldown = 0) : LrSchedule(optimizer)
{
    private double _best = double.NaN;
    private int _bad, _cool;

    /// <inheritdoc/>
    protected override float Next(double metric)
    {
        float lr = Optimizer.LearningRate;
        if (double.IsNaN(metric))
            throw new InvalidOptionsException("ReduceOnPlateau", ["Step needs the monitored metric."]);
        bool better = double.IsNaN(_best) || (maximize ? metric > _best * (1 + Math.Sign(_best) * threshold) : metric < _best * (1 - Math.Sign(_best) * threshold));
        if (better) { _best = metric; _bad = 0; }
        else _bad++;
        if (_cool > 0) { _cool--; _bad = 0; }
        if (_bad > patience)
        {
            lr = Math.Max(minLr, lr * factor);
            _cool = cooldown;
            _bad = 0;
        }
        return lr;
    }
}
