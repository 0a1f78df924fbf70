namespace SpeechEmotion.Features;

/// <summary>
/// Features of one signal, row-major [frames, features] (one row per analysis frame). A vector-valued
/// result (functionals) is a matrix with <see cref="Frames"/> == 1.
/// </summary>
public sealed class FeatureMatrix
{
    /// <summary>Wraps <paramref name="data"/> (frames·features values) with one name per feature column.</summary>
    /// <exception cref="ArgumentException">Sizes disagree.</exception>
    public FeatureMatrix(int frames, int features, float[] data, IReadOnlyList<string> featureNames)
    {
        if (frames < 0 || features < 0 || data.Length != (long)frames * features)
            throw new ArgumentException($"Data has {data.Length} values; expected {frames}×{features}.");
        if (featureNames.Count != features)
            throw new ArgumentException($"{featureNames.Count} feature names for {features} features.");
        Frames = frames; Features = features; Data = data; FeatureNames = featureNames;
    }

    /// <summary>Number of frames (rows).</summary>
    public int Frames { get; }

    /// <summary>Number of features per frame (columns).</summary>
    public int Features { get; }

    /// <summary>Values, row-major [frames, features].</summary>
    public float[] Data { get; }

    /// <summary>Column names, e.g. "mfcc_0", "zcr", "mel_63".</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Value of feature <paramref name="feature"/> at frame <paramref name="frame"/>.</summary>
    public float this[int frame, int feature] => Data[frame * Features + feature];

    /// <summary>The features of frame <paramref name="frame"/>.</summary>
    public ReadOnlySpan<float> Row(int frame) => Data.AsSpan(frame * Features, Features);

    /// <summary>Names "prefix_0" .. "prefix_{count-1}".</summary>
    public static string[] Numbered(string prefix, int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++) names[i] = $"{prefix}_{i}";
        return names;
    }

    /// <summary>
    /// Builds a matrix from per-feature rows laid out [features, frames] (librosa's layout) by transposing.
    /// </summary>
    public static FeatureMatrix FromFeatureMajor(int features, int frames, ReadOnlySpan<float> featureMajor, IReadOnlyList<string> names)
    {
        var data = new float[frames * features];
        for (var f = 0; f < features; f++)
            for (var t = 0; t < frames; t++)
                data[t * features + f] = featureMajor[f * frames + t];
        return new FeatureMatrix(frames, features, data, names);
    }

    /// <summary>Concatenates matrices with the same frame count along the feature axis.</summary>
    public static FeatureMatrix Concat(params FeatureMatrix[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("Nothing to concatenate.");
        var frames = parts[0].Frames;
        foreach (var p in parts)
            if (p.Frames != frames) throw new ArgumentException($"Frame counts differ ({frames} vs {p.Frames}).");
        var features = parts.Sum(p => p.Features);
        var data = new float[frames * features];
        var names = new List<string>(features);
        var offset = 0;
        foreach (var p in parts)
        {
            for (var t = 0; t < frames; t++)
                p.Data.AsSpan(t * p.Features, p.Features).CopyTo(data.AsSpan(t * features + offset));
            offset += p.Features;
            names.AddRange(p.FeatureNames);
        }
        return new FeatureMatrix(frames, features, data, names);
    }
}
