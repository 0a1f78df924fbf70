using System.Text.Json;
using System.Text.Json.Serialization;
using SpeechEmotion.Features;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>How utterances of different lengths become one batch.</summary>
public enum LengthMode
{
    /// <summary>One vector per utterance: feature matrices must have exactly one frame (functionals).</summary>
    Vector,
    /// <summary>Crop or zero-pad (after standardisation, so padding is the training mean) to <see cref="InputPreparation.Frames"/>.</summary>
    Fixed,
    /// <summary>Pad to the longest utterance of the batch (capped at <see cref="InputPreparation.Frames"/> when
    /// that is positive) and pass each utterance's valid length so the model masks the padding.</summary>
    Masked,
}

/// <summary>Which part of a too-long utterance a crop keeps.</summary>
public enum CropPosition
{
    /// <summary>The first frames.</summary>
    Start,
    /// <summary>The middle frames.</summary>
    Center,
}

/// <summary>
/// How a <see cref="FeatureMatrix"/> becomes model input: per-feature standardisation with statistics
/// fitted on the training fold only, the length policy (vector, fixed crop/pad, or masking), the layout
/// the model expects, and the seed recipe's transposition. Serialised into model packages as JSON so
/// inference prepares input exactly as training did.
/// </summary>
public sealed record InputPreparation
{
    /// <summary>Layout of the produced batch (see <see cref="InputLayout"/>).</summary>
    public required InputLayout Layout { get; init; }

    /// <summary>Length policy.</summary>
    public required LengthMode Mode { get; init; }

    /// <summary>Fixed length (frames) for <see cref="LengthMode.Fixed"/>; cap for <see cref="LengthMode.Masked"/> (0 = none); 0 for vectors.</summary>
    public int Frames { get; init; }

    /// <summary>Features per frame of the feature set (columns of the matrices).</summary>
    public required int Features { get; init; }

    /// <summary>Per-feature mean (length <see cref="Features"/>) subtracted before anything else.</summary>
    public required float[] Mean { get; init; }

    /// <summary>Per-feature standard deviation (length <see cref="Features"/>, each &gt; 0) divided by.</summary>
    public required float[] Std { get; init; }

    /// <summary>Crop position for too-long inputs.</summary>
    public CropPosition Crop { get; init; } = CropPosition.Start;

    /// <summary>
    /// Swap frames and features after standardisation (fixed length only): the CLSTM seed recipe feeds its
    /// [401 frames × 22 features] matrix as 22 steps of 401 values.
    /// </summary>
    public bool Transpose { get; init; }

    /// <summary>Feature width the model sees (<see cref="ModelSpec.Features"/>).</summary>
    [JsonIgnore]
    public int ModelFeatures => Transpose ? Frames : Features;

    /// <summary>Fixed frame count the model sees (<see cref="ModelSpec.Frames"/>), 0 for vector or masked input.</summary>
    [JsonIgnore]
    public int ModelFrames => Mode != LengthMode.Fixed ? 0 : Transpose ? Features : Frames;

    /// <summary>
    /// Fits standardisation on <paramref name="training"/> (training-fold matrices only: every frame of every
    /// utterance weighs equally) and fixes the policy. <paramref name="normalise"/> false keeps mean 0, std 1.
    /// </summary>
    /// <exception cref="InvalidOptionsException">No data, mixed widths, a vector policy on multi-frame data, or bad lengths.</exception>
    public static InputPreparation Fit(IReadOnlyList<FeatureMatrix> training, InputLayout layout, LengthMode mode, int frames,
        bool normalise = true, bool transpose = false, CropPosition crop = CropPosition.Start)
    {
        var p = new Problems();
        p.Require(training.Count > 0, "no training features to fit");
        int width = training.Count > 0 ? training[0].Features : 0;
        p.Require(training.All(m => m.Features == width), "feature matrices have different widths");
        p.Require(mode != LengthMode.Vector || training.All(m => m.Frames == 1), "a vector model needs one frame per utterance (use a functionals feature set such as 'functionals' or 'egemaps-v02')");
        p.Require(mode == LengthMode.Vector || layout != InputLayout.Vector, "vector layout needs the vector length mode");
        p.Require(mode != LengthMode.Fixed || frames > 0, $"fixed-length input needs frames > 0, got {frames}");
        p.Require(frames >= 0, $"frames must be ≥ 0, got {frames}");
        p.Require(!transpose || mode == LengthMode.Fixed && layout == InputLayout.Sequence, "transpose needs fixed-length sequence input");
        p.Require(training.All(m => m.Frames > 0), "an utterance has no frames");
        p.ThrowIfAny(nameof(InputPreparation));
        var mean = new double[width]; var sq = new double[width];
        long n = 0;
        if (normalise)
        {
            foreach (var m in training)
                for (int t = 0; t < m.Frames; t++)
                {
                    var row = m.Row(t);
                    for (int j = 0; j < width; j++) { double v = row[j]; mean[j] += v; sq[j] += v * v; }
                    n++;
                }
        }
        var mu = new float[width]; var sd = new float[width];
        for (int j = 0; j < width; j++)
        {
            if (n == 0) { sd[j] = 1; continue; }
            double m = mean[j] / n, var = Math.Max(0, sq[j] / n - m * m), s = Math.Sqrt(var);
            mu[j] = (float)m;
            sd[j] = s > 1e-6 * Math.Max(1, Math.Abs(m)) && double.IsFinite(s) ? (float)s : 1f;
        }
        return new InputPreparation { Layout = layout, Mode = mode, Frames = mode == LengthMode.Vector ? 0 : frames, Features = width, Mean = mu, Std = sd, Transpose = transpose, Crop = crop };
    }

    /// <summary>
    /// Builds the batch tensor for <paramref name="items"/> in <see cref="Layout"/> and writes each item's
    /// valid frame count into <paramref name="lengths"/> (length ≥ items; 1 for vectors, the fixed length for fixed).
    /// </summary>
    /// <exception cref="ShapeException">An item's width differs from <see cref="Features"/>, or it has no frames.</exception>
    public Tensor Prepare(IReadOnlyList<FeatureMatrix> items, Span<int> lengths)
    {
        int b = items.Count;
        if (b == 0 || lengths.Length < b) throw new ShapeException($"InputPreparation: {b} items with {lengths.Length} length slots.");
        for (int i = 0; i < b; i++)
        {
            var m = items[i];
            if (m.Features != Features) throw new ShapeException($"InputPreparation: item {i} has {m.Features} features per frame; the model was trained on {Features}.");
            if (m.Frames < 1) throw new ShapeException($"InputPreparation: item {i} has no frames.");
            if (Mode == LengthMode.Vector && m.Frames != 1) throw new ShapeException($"InputPreparation: item {i} has {m.Frames} frames; this model takes one vector per utterance.");
        }
        int t = Mode switch
        {
            LengthMode.Vector => 1,
            LengthMode.Fixed => Frames,
            _ => Frames > 0 ? Math.Min(Frames, MaxFrames(items)) : MaxFrames(items),
        };
        var x = Layout switch
        {
            InputLayout.Vector => new Tensor(b, Features),
            InputLayout.Image => new Tensor(b, 1, Features, t),
            _ => Transpose ? new Tensor(b, Features, t) : new Tensor(b, t, Features),
        };
        var dst = x.Span;
        int per = t * Features;
        for (int i = 0; i < b; i++)
        {
            var m = items[i];
            int len = Math.Min(m.Frames, t);
            int start = Crop == CropPosition.Center && m.Frames > t ? (m.Frames - t) / 2 : 0;
            lengths[i] = Mode == LengthMode.Masked ? len : t;
            var sample = dst.Slice(i * per, per);
            for (int f = 0; f < len; f++)
            {
                var row = m.Row(start + f);
                for (int j = 0; j < Features; j++)
                {
                    float v = (row[j] - Mean[j]) / Std[j];
                    if (!float.IsFinite(v)) v = 0;
                    if (Layout == InputLayout.Image) sample[j * t + f] = v;
                    else if (Transpose) sample[j * t + f] = v;
                    else sample[f * Features + j] = v;
                }
            }
        }
        return x;
    }

    private static int MaxFrames(IReadOnlyList<FeatureMatrix> items)
    {
        int max = 1;
        foreach (var m in items) max = Math.Max(max, m.Frames);
        return max;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    /// <summary>JSON form (enums in kebab case, statistics as arrays).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads <see cref="ToJson"/>'s output and validates it.</summary>
    /// <exception cref="InvalidOptionsException">Malformed JSON or inconsistent fields.</exception>
    public static InputPreparation FromJson(string json)
    {
        InputPreparation? r;
        try { r = JsonSerializer.Deserialize<InputPreparation>(json, JsonOptions); }
        catch (JsonException e) { throw new InvalidOptionsException(nameof(InputPreparation), [$"not valid JSON: {e.Message}"]); }
        if (r is null) throw new InvalidOptionsException(nameof(InputPreparation), ["null"]);
        new Problems()
            .Require(r.Features > 0, "features must be positive")
            .Require(r.Mean?.Length == r.Features && r.Std?.Length == r.Features, "mean and std must have one value per feature")
            .Require(r.Std is null || r.Std.All(s => s > 0 && float.IsFinite(s)), "std values must be positive and finite")
            .Require(r.Mean is null || r.Mean.All(float.IsFinite), "mean values must be finite")
            .Require(r.Mode != LengthMode.Fixed || r.Frames > 0, "fixed mode needs frames > 0")
            .Require(r.Frames >= 0, "frames must be ≥ 0")
            .ThrowIfAny(nameof(InputPreparation));
        return r;
    }
}
