namespace SpeechEmotion.Models.Classical;

/// <summary>Shared validation of training and prediction input; every failure is a <see cref="ClassifierInputException"/>.</summary>
internal static class InputChecks
{
    public static int CheckTraining(string model, float[] x, int d, int[] y, int classes, float[]? sampleWeights, float[]? classWeights)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (d < 1) throw new ClassifierInputException($"{model}: the feature dimension d must be at least 1, got {d}.");
        if (x.Length == 0 || y.Length == 0) throw new ClassifierInputException($"{model}: the training set is empty.");
        if (x.Length % d != 0)
            throw new ClassifierInputException($"{model}: the feature array has {x.Length} values, not a multiple of d = {d}.");
        var n = x.Length / d;
        if (y.Length != n)
            throw new ClassifierInputException($"{model}: {n} feature rows but {y.Length} labels.");
        if (classes < 2) throw new ClassifierInputException($"{model}: classes must be at least 2, got {classes}.");
        CheckFinite(model, x, d, "training");
        var present = new bool[classes];
        for (var i = 0; i < n; i++)
        {
            if ((uint)y[i] >= (uint)classes)
                throw new ClassifierInputException($"{model}: label y[{i}] = {y[i]} is outside [0, {classes}).");
            present[y[i]] = true;
        }
        if (present.Count(p => p) < 2)
            throw new ClassifierInputException($"{model}: the training labels hold a single class ({y[0]}); at least two are needed.");
        if (sampleWeights is not null)
        {
            if (sampleWeights.Length != n)
                throw new ClassifierInputException($"{model}: {n} samples but {sampleWeights.Length} sample weights.");
            for (var i = 0; i < n; i++)
                if (!(sampleWeights[i] > 0) || !float.IsFinite(sampleWeights[i]))
                    throw new ClassifierInputException($"{model}: sample weight [{i}] = {sampleWeights[i]} must be finite and positive.");
        }
        if (classWeights is not null)
        {
            if (classWeights.Length != classes)
                throw new ClassifierInputException($"{model}: {classes} classes but {classWeights.Length} class weights.");
            for (var c = 0; c < classes; c++)
                if (!(classWeights[c] > 0) || !float.IsFinite(classWeights[c]))
                    throw new ClassifierInputException($"{model}: class weight [{c}] = {classWeights[c]} must be finite and positive.");
        }
        return n;
    }

    public static int CheckPrediction(string model, bool fitted, ReadOnlySpan<float> x, int d)
    {
        if (!fitted) throw new ClassifierInputException($"{model}: predict was called before Fit (or Load).");
        if (x.Length % d != 0)
            throw new ClassifierInputException($"{model}: the feature array has {x.Length} values, not a multiple of the model's d = {d}.");
        CheckFinite(model, x, d, "prediction");
        return x.Length / d;
    }

    public static void CheckFinite(string model, ReadOnlySpan<float> x, int d, string what)
    {
        for (var i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                throw new ClassifierInputException($"{model}: {what} feature [{i / d}, {i % d}] is {x[i]}; features must be finite.");
    }

    /// <summary>Per-sample weight = sample weight × class weight (1 where not given).</summary>
    public static double[] CombinedWeights(int[] y, float[]? sampleWeights, float[]? classWeights)
    {
        var w = new double[y.Length];
        for (var i = 0; i < w.Length; i++)
            w[i] = (sampleWeights?[i] ?? 1f) * (double)(classWeights?[y[i]] ?? 1f);
        return w;
    }
}
