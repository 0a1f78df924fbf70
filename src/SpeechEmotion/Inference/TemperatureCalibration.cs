namespace SpeechEmotion.Inference;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one scalar T &gt; 0 dividing the logits, fitted by minimising the
/// negative log-likelihood on held-out (validation) data. It changes confidences, never the predicted label.
/// The trainer calls <see cref="Fit"/> on validation logits and stores T in the model manifest.
/// </summary>
public static class TemperatureCalibration
{
    /// <summary>Smallest and largest temperature searched.</summary>
    public const double MinTemperature = 0.05, MaxTemperature = 20;

    /// <summary>Fits T on <paramref name="logits"/> [n, classes] (row-major) with true class indices <paramref name="labels"/> [n].</summary>
    /// <returns>The temperature in [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>] minimising the mean NLL (1 for no data).</returns>
    /// <exception cref="InvalidOptionsException">Shapes disagree, a label is out of range, or a logit is not finite.</exception>
    public static double Fit(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels)
    {
        int n = labels.Length;
        var p = new Problems();
        p.Require(n == 0 || logits.Length % n == 0 && logits.Length / n >= 2, $"{logits.Length} logits do not divide into {n} rows of ≥ 2 classes");
        int c = n == 0 ? 0 : logits.Length / n;
        foreach (var l in labels) if (l < 0 || l >= c) { p.Add($"label {l} is outside 0..{c - 1}"); break; }
        foreach (var v in logits) if (!float.IsFinite(v)) { p.Add("a logit is NaN or infinite"); break; }
        p.ThrowIfAny("temperature calibration");
        if (n == 0) return 1.0;
        // NLL(log T) is smooth and unimodal in practice: golden-section search on log T.
        double a = Math.Log(MinTemperature), b = Math.Log(MaxTemperature), g = (Math.Sqrt(5) - 1) / 2;
        double x1 = b - g * (b - a), x2 = a + g * (b - a);
        double f1 = NegativeLogLikelihood(logits, labels, Math.Exp(x1)), f2 = NegativeLogLikelihood(logits, labels, Math.Exp(x2));
        for (int it = 0; it < 60 && b - a > 1e-6; it++)
        {
            if (f1 <= f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = NegativeLogLikelihood(logits, labels, Math.Exp(x1)); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = NegativeLogLikelihood(logits, labels, Math.Exp(x2)); }
        }
        return Math.Exp((a + b) / 2);
    }

    /// <summary>Mean negative log-likelihood (nats) of <paramref name="labels"/> under softmax(logits / T).</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, double temperature)
    {
        int n = labels.Length;
        if (n == 0) return 0;
        int c = logits.Length / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = logits.Slice(i * c, c);
            double max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v / temperature);
            double sum = 0;
            foreach (var v in row) sum += Math.Exp(v / temperature - max);
            total += max + Math.Log(sum) - row[labels[i]] / temperature;
        }
        return total / n;
    }
}

/// <summary>Fits a packaged model's temperature on labelled validation clips and writes a calibrated copy.</summary>
public static class ModelCalibration
{
    /// <summary>
    /// Runs <paramref name="modelPath"/> uncalibrated over <paramref name="clips"/> (path, label) and fits the temperature
    /// on the log-probabilities (softmax is shift-invariant, so they act as logits); writes the model with that temperature
    /// to <paramref name="outputPath"/> (atomic; may equal the input).
    /// </summary>
    /// <returns>The temperature and the validation NLL before and after (nats).</returns>
    /// <exception cref="InvalidOptionsException">A label the model does not have, or no clip could be read.</exception>
    public static (double Temperature, double NllBefore, double NllAfter) Calibrate(string modelPath, IReadOnlyList<(string Path, string Label)> clips, string outputPath)
    {
        var package = Models.Packaging.ModelPackage.Load(modelPath);
        var r = new EmotionRecognizer(package, modelPath, new RecognizerOptions { UseCalibration = false });
        var problems = new Problems();
        var logits = new List<float>();
        var labels = new List<int>();
        foreach (var (path, label) in clips)
        {
            int y = r.Labels.ToList().IndexOf(label);
            if (y < 0) { problems.Add($"{path}: label '{label}' is not one of {string.Join(", ", r.Labels)}"); continue; }
            var p = r.Recognize(path);
            foreach (var v in p.Probabilities) logits.Add(MathF.Log(MathF.Max(v, 1e-30f)));
            labels.Add(y);
        }
        problems.Require(labels.Count > 0, "no validation clips");
        problems.ThrowIfAny("calibration");
        var z = logits.ToArray();
        var yy = labels.ToArray();
        double t = TemperatureCalibration.Fit(z, yy);
        Models.Packaging.ModelPackage.Save(outputPath, package.Manifest with { Temperature = t }, package.StateDict);
        return (t, TemperatureCalibration.NegativeLogLikelihood(z, yy, 1), TemperatureCalibration.NegativeLogLikelihood(z, yy, t));
    }
}

/// <summary>Reads a calibration list: CSV with a "path,label" header, one clip per line.</summary>
public static class CalibrationList
{
    /// <summary>Reads <paramref name="csv"/>; relative paths resolve against <paramref name="root"/> (default: the CSV's folder).</summary>
    /// <exception cref="InvalidOptionsException">Missing file, bad header or malformed lines (all listed).</exception>
    public static IReadOnlyList<(string Path, string Label)> Read(string csv, string? root = null)
    {
        if (!File.Exists(csv)) throw new InvalidOptionsException("calibration list", [$"{csv}: not found"]);
        var lines = File.ReadAllLines(csv);
        var problems = new Problems();
        problems.Require(lines.Length > 0 && lines[0].Trim() == "path,label", $"{csv}: the first line must be 'path,label'");
        var baseDir = root ?? Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var result = new List<(string, string)>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var parts = lines[i].Split(',');
            if (parts.Length != 2) { problems.Add($"{csv}:{i + 1}: expected path,label"); continue; }
            result.Add((Path.Combine(baseDir, parts[0].Trim()), parts[1].Trim()));
        }
        problems.ThrowIfAny("calibration list");
        return result;
    }
}
