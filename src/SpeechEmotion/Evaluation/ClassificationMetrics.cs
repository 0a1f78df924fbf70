namespace SpeechEmotion.Evaluation;

/// <summary>Raised when metric inputs are inconsistent (lengths differ, labels out of range, empty input).</summary>
public sealed class MetricsException : SpeechEmotionException
{
    /// <summary>Creates the exception with a message naming the offending value.</summary>
    public MetricsException(string message) : base(message) { }
}

/// <summary>
/// Classification scores of one evaluation (one fold, one test set).
/// </summary>
/// <remarks>
/// Conventions (those of scikit-learn with <c>zero_division=0</c>): a class never predicted has
/// precision 0; a class absent from the truth has recall 0 and is left out of <see cref="UnweightedAverageRecall"/>;
/// <see cref="MacroF1"/> averages over the classes present in the truth or in the predictions; a class
/// absent from both is left out of every average. <see cref="Support"/> tells which classes were present.
/// </remarks>
public sealed record ClassificationReport
{
    /// <summary>Number of classes (length of every per-class array; side of the confusion matrix).</summary>
    public required int Classes { get; init; }

    /// <summary>Optional class names, length <see cref="Classes"/>; null when not given.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Number of scored samples.</summary>
    public required int Samples { get; init; }

    /// <summary>Weighted accuracy (WA): fraction of samples predicted correctly, in [0, 1].</summary>
    public required double WeightedAccuracy { get; init; }

    /// <summary>Unweighted average recall (UA, balanced accuracy): mean recall over classes present in the truth, in [0, 1].</summary>
    public required double UnweightedAverageRecall { get; init; }

    /// <summary>Macro-averaged F1 over classes present in the truth or the predictions, in [0, 1].</summary>
    public required double MacroF1 { get; init; }

    /// <summary>Per-class precision, in [0, 1] (0 for a class never predicted).</summary>
    public required double[] Precision { get; init; }

    /// <summary>Per-class recall, in [0, 1] (0 for a class absent from the truth).</summary>
    public required double[] Recall { get; init; }

    /// <summary>Per-class F1, in [0, 1] (0 when precision + recall is 0).</summary>
    public required double[] F1 { get; init; }

    /// <summary>Per-class number of true samples (row sums of the confusion matrix).</summary>
    public required int[] Support { get; init; }

    /// <summary>Confusion counts: <c>Confusion[t][p]</c> = samples of true class t predicted as p.</summary>
    public required int[][] Confusion { get; init; }

    /// <summary>Row-normalised confusion: each row divided by its support (all zeros for an absent class); the diagonal is the per-class recall.</summary>
    public required double[][] ConfusionNormalised { get; init; }
}

/// <summary>Mean and sample standard deviation (n − 1 denominator; 0 for a single value) of a metric across folds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Std">Sample standard deviation (ddof = 1); 0 when there is one value.</param>
/// <param name="Count">Number of values aggregated.</param>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    /// <summary>Aggregates <paramref name="values"/> (at least one).</summary>
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new MetricsException("Cannot aggregate an empty list of values.");
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Count;
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        var std = values.Count > 1 ? Math.Sqrt(ss / (values.Count - 1)) : 0.0;
        return new MeanStd(mean, std, values.Count);
    }

    /// <summary>"mean ± std" with values scaled by <paramref name="scale"/> (100 for percentages).</summary>
    public string ToString(double scale, int decimals = 1) =>
        $"{(Mean * scale).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture)} ± {(Std * scale).ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Fold-level aggregate of several <see cref="ClassificationReport"/>s.</summary>
/// <param name="WeightedAccuracy">WA mean ± std across folds.</param>
/// <param name="UnweightedAverageRecall">UA mean ± std across folds.</param>
/// <param name="MacroF1">Macro-F1 mean ± std across folds.</param>
/// <param name="PooledConfusion">Confusion counts summed over folds.</param>
public sealed record CrossValidationSummary(MeanStd WeightedAccuracy, MeanStd UnweightedAverageRecall, MeanStd MacroF1, int[][] PooledConfusion);

/// <summary>
/// Speech-emotion classification and regression scores: WA, UA, macro-F1, per-class scores, confusion
/// matrices, their mean ± std across folds, and Lin's concordance correlation coefficient.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// Scores predictions against the truth. Labels are class indices in [0, <paramref name="classes"/>).
    /// </summary>
    /// <param name="truth">True class per sample.</param>
    /// <param name="predicted">Predicted class per sample (same length).</param>
    /// <param name="classes">Number of classes (≥ 1).</param>
    /// <param name="classNames">Optional names, length <paramref name="classes"/>.</param>
    /// <exception cref="MetricsException">Lengths differ, input is empty, or a label is out of range.</exception>
    public static ClassificationReport Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classes, IReadOnlyList<string>? classNames = null)
    {
        if (classes < 1) throw new MetricsException($"classes must be at least 1, got {classes}.");
        if (truth.Length != predicted.Length)
            throw new MetricsException($"truth has {truth.Length} labels but predicted has {predicted.Length}.");
        if (truth.Length == 0) throw new MetricsException("Cannot score an empty set of predictions.");
        if (classNames is not null && classNames.Count != classes)
            throw new MetricsException($"classNames has {classNames.Count} names but classes is {classes}.");

        var confusion = new int[classes][];
        for (var c = 0; c < classes; c++) confusion[c] = new int[classes];
        for (var i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if ((uint)t >= (uint)classes) throw new MetricsException($"truth[{i}] = {t} is outside [0, {classes}).");
            if ((uint)p >= (uint)classes) throw new MetricsException($"predicted[{i}] = {p} is outside [0, {classes}).");
            confusion[t][p]++;
        }
        return FromConfusion(confusion, classNames);
    }

    /// <summary>Scores a confusion matrix (<c>confusion[t][p]</c> counts, square, non-negative, not all zero).</summary>
    /// <exception cref="MetricsException">The matrix is not square, has negative entries, or is all zeros.</exception>
    public static ClassificationReport FromConfusion(int[][] confusion, IReadOnlyList<string>? classNames = null)
    {
        var k = confusion.Length;
        if (k == 0) throw new MetricsException("The confusion matrix is empty.");
        var support = new int[k];
        var predictedCount = new int[k];
        long total = 0, correct = 0;
        for (var t = 0; t < k; t++)
        {
            if (confusion[t] is null || confusion[t].Length != k)
                throw new MetricsException($"Confusion row {t} does not have {k} entries.");
            for (var p = 0; p < k; p++)
            {
                var v = confusion[t][p];
                if (v < 0) throw new MetricsException($"Confusion[{t}][{p}] = {v} is negative.");
                support[t] += v;
                predictedCount[p] += v;
                total += v;
                if (t == p) correct += v;
            }
        }
        if (total == 0) throw new MetricsException("The confusion matrix holds no samples.");

        var precision = new double[k];
        var recall = new double[k];
        var f1 = new double[k];
        var normalised = new double[k][];
        double recallSum = 0, f1Sum = 0;
        int recallClasses = 0, f1Classes = 0;
        for (var c = 0; c < k; c++)
        {
            double tp = confusion[c][c];
            precision[c] = predictedCount[c] > 0 ? tp / predictedCount[c] : 0.0;
            recall[c] = support[c] > 0 ? tp / support[c] : 0.0;
            f1[c] = precision[c] + recall[c] > 0 ? 2 * precision[c] * recall[c] / (precision[c] + recall[c]) : 0.0;
            normalised[c] = new double[k];
            if (support[c] > 0)
            {
                for (var p = 0; p < k; p++) normalised[c][p] = (double)confusion[c][p] / support[c];
                recallSum += recall[c];
                recallClasses++;
            }
            if (support[c] > 0 || predictedCount[c] > 0)
            {
                f1Sum += f1[c];
                f1Classes++;
            }
        }

        var copy = new int[k][];
        for (var t = 0; t < k; t++) copy[t] = (int[])confusion[t].Clone();
        return new ClassificationReport
        {
            Classes = k,
            ClassNames = classNames,
            Samples = checked((int)total),
            WeightedAccuracy = (double)correct / total,
            UnweightedAverageRecall = recallSum / recallClasses,
            MacroF1 = f1Sum / f1Classes,
            Precision = precision,
            Recall = recall,
            F1 = f1,
            Support = support,
            Confusion = copy,
            ConfusionNormalised = normalised,
        };
    }

    /// <summary>WA, UA and macro-F1 as mean ± std across folds, and the pooled confusion counts.</summary>
    /// <exception cref="MetricsException">No reports, or reports with different class counts.</exception>
    public static CrossValidationSummary Aggregate(IReadOnlyList<ClassificationReport> folds)
    {
        if (folds.Count == 0) throw new MetricsException("Cannot aggregate zero folds.");
        var k = folds[0].Classes;
        var pooled = new int[k][];
        for (var t = 0; t < k; t++) pooled[t] = new int[k];
        foreach (var f in folds)
        {
            if (f.Classes != k) throw new MetricsException($"Fold reports disagree on the class count ({f.Classes} vs {k}).");
            for (var t = 0; t < k; t++)
                for (var p = 0; p < k; p++) pooled[t][p] += f.Confusion[t][p];
        }
        return new CrossValidationSummary(
            MeanStd.Of(folds.Select(f => f.WeightedAccuracy).ToArray()),
            MeanStd.Of(folds.Select(f => f.UnweightedAverageRecall).ToArray()),
            MeanStd.Of(folds.Select(f => f.MacroF1).ToArray()),
            pooled);
    }

    /// <summary>
    /// Lin's concordance correlation coefficient, 2·cov(x, y) / (var x + var y + (mean x − mean y)²), with
    /// population (1/n) moments, computed in double precision. In [−1, 1]; 1 only for identical sequences.
    /// Two identical constant sequences give 1; a constant prediction of a varying truth gives 0.
    /// </summary>
    /// <param name="truth">Gold dimensional values (e.g. arousal).</param>
    /// <param name="predicted">Predicted values, same length.</param>
    /// <exception cref="MetricsException">Lengths differ, input is empty, or a value is not finite.</exception>
    public static double Ccc(ReadOnlySpan<float> truth, ReadOnlySpan<float> predicted)
    {
        if (truth.Length != predicted.Length)
            throw new MetricsException($"truth has {truth.Length} values but predicted has {predicted.Length}.");
        if (truth.Length == 0) throw new MetricsException("Cannot compute CCC of empty sequences.");
        var n = truth.Length;
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++)
        {
            if (!float.IsFinite(truth[i])) throw new MetricsException($"truth[{i}] = {truth[i]} is not finite.");
            if (!float.IsFinite(predicted[i])) throw new MetricsException($"predicted[{i}] = {predicted[i]} is not finite.");
            mx += truth[i];
            my += predicted[i];
        }
        mx /= n;
        my /= n;
        double vx = 0, vy = 0, cov = 0;
        for (var i = 0; i < n; i++)
        {
            double dx = truth[i] - mx, dy = predicted[i] - my;
            vx += dx * dx;
            vy += dy * dy;
            cov += dx * dy;
        }
        vx /= n;
        vy /= n;
        cov /= n;
        var denominator = vx + vy + (mx - my) * (mx - my);
        // Zero only when both sequences are the same constant: perfect agreement.
        return denominator == 0 ? 1.0 : 2 * cov / denominator;
    }
}
