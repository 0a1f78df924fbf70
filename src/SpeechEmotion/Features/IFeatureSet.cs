namespace SpeechEmotion.Features;

/// <summary>
/// A named, versioned, immutable recipe that turns audio into a <see cref="FeatureMatrix"/>.
/// Implementations are thread-safe.
/// </summary>
public interface IFeatureSet
{
    /// <summary>Registry name, e.g. "logmel", "zcr-rms-mfcc", "egemaps-v02".</summary>
    string Name { get; }

    /// <summary>Recipe version; bumped whenever outputs for the same parameters change.</summary>
    int Version { get; }

    /// <summary>Sample rate (Hz) the recipe expects; callers resample first.</summary>
    int SampleRate { get; }

    /// <summary>
    /// Canonical JSON of name, version and every parameter (defaults included), stable across runs:
    /// used as a cache key and saved into model files. <see cref="FeatureSets.FromJson"/> reverses it.
    /// </summary>
    string ToJson();

    /// <summary>
    /// Extracts features from mono <paramref name="samples"/> at <paramref name="sampleRate"/> Hz
    /// (must equal <see cref="SampleRate"/>). Thread-safe.
    /// </summary>
    FeatureMatrix Extract(ReadOnlySpan<float> samples, int sampleRate);
}
