using System.Collections.Concurrent;
using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Inference;

/// <summary>
/// Recognises emotions in speech with a <c>.sermodel</c>: load once, then call <see cref="Recognize(string)"/>
/// from any number of threads. Audio is mixed to mono, resampled to the feature set's rate, turned into
/// features, prepared exactly as in training and passed through the network rebuilt by <see cref="ModelZoo"/>.
/// Thread-safe: each concurrent call borrows its own network replica (activations are owned by a network).
/// </summary>
public sealed class EmotionRecognizer
{
    private readonly IReadOnlyDictionary<string, Tensor> _state;
    private readonly ConcurrentBag<EmotionModel> _pool = [];
    private readonly double _temperature;

    /// <summary>Builds a recognizer from a loaded package; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">The weights do not fit the network the manifest describes.</exception>
    public EmotionRecognizer(LoadedModelPackage package, string source = "model", RecognizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        Options = options ?? RecognizerOptions.Default;
        Options.Validate();
        Source = source;
        Manifest = package.Manifest;
        _state = package.StateDict;
        try { FeatureSet = FeatureSets.FromJson(Manifest.FeatureSet); }
        catch (SpeechEmotionException e) { throw new ModelFormatException($"{source}: the feature set cannot be built: {e.Message}", e); }
        var first = Build();
        Info = ModelZoo.Info(Manifest.Spec);
        _pool.Add(first);
        _temperature = Options.UseCalibration ? Manifest.Temperature : 1.0;
    }

    /// <summary>Loads the model file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">Missing, corrupt, tampered, newer or inconsistent model file (the message names it).</exception>
    public static EmotionRecognizer Load(string path, RecognizerOptions? options = null) =>
        new(ModelPackage.Load(path), path, options);

    /// <summary>What the model is (labels, feature set, provenance, scores).</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The feature set audio is turned into.</summary>
    public IFeatureSet FeatureSet { get; }

    /// <summary>Options in effect.</summary>
    public RecognizerOptions Options { get; }

    /// <summary>The model file (or other source name) used in messages.</summary>
    public string Source { get; }

    /// <summary>Facts about the network's architecture.</summary>
    public ArchitectureInfo Info { get; }

    /// <summary>Labels in the order of <see cref="EmotionPrediction.Probabilities"/>.</summary>
    public IReadOnlyList<string> Labels => Manifest.Labels;

    /// <summary>Sample rate (Hz) the model's features expect; other rates are resampled.</summary>
    public int SampleRate => FeatureSet.SampleRate;

    /// <summary>Softmax temperature applied to the logits (1 when calibration is off).</summary>
    public double Temperature => _temperature;

    /// <summary>Decodes <paramref name="path"/> (resampled to <see cref="SampleRate"/> while decoding) and recognises it.</summary>
    /// <exception cref="AudioFormatException">Missing, empty or undecodable file.</exception>
    /// <exception cref="InferenceInputException">Silent, too short, or longer than <see cref="RecognizerOptions.MaxClipSeconds"/>.</exception>
    public EmotionPrediction Recognize(string path) => Recognize(ReadClip(path), SampleRate, path);

    /// <summary>Recognises a decoded clip (any rate; several channels are averaged).</summary>
    public EmotionPrediction Recognize(AudioBuffer audio)
    {
        var samples = ToModelRate(audio);
        return Recognize(samples, SampleRate, "audio");
    }

    /// <summary>Recognises mono <paramref name="samples"/> in [-1, 1] at <paramref name="sampleRate"/> Hz.</summary>
    /// <param name="samples">Mono samples.</param>
    /// <param name="sampleRate">Their rate (Hz); resampled when it differs from <see cref="SampleRate"/>.</param>
    /// <param name="source">Name used in error messages.</param>
    public EmotionPrediction Recognize(ReadOnlySpan<float> samples, int sampleRate, string source = "samples")
    {
        if (sampleRate != SampleRate)
            return Recognize(Resampler.Resample(samples, sampleRate, SampleRate), SampleRate, source);
        var features = Extract(samples, source);
        return Classify([features], [samples.Length / (double)SampleRate])[0];
    }

    /// <summary>Recognises many clips: features in parallel, the network in batches of <see cref="RecognizerOptions.BatchSize"/>.</summary>
    public IReadOnlyList<EmotionPrediction> RecognizeBatch(IReadOnlyList<AudioBuffer> clips)
    {
        var features = new FeatureMatrix[clips.Count];
        var durations = new double[clips.Count];
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxConcurrency }, i =>
        {
            var s = ToModelRate(clips[i]);
            durations[i] = s.Length / (double)SampleRate;
            features[i] = Extract(s, $"clip {i}");
        });
        var result = new List<EmotionPrediction>(clips.Count);
        for (int start = 0; start < clips.Count; start += Options.BatchSize)
        {
            int n = Math.Min(Options.BatchSize, clips.Count - start);
            result.AddRange(Classify(new ArraySegment<FeatureMatrix>(features, start, n), durations.AsSpan(start, n)));
        }
        return result;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> at <see cref="SampleRate"/> after checking the header's duration against
    /// <see cref="RecognizerOptions.MaxClipSeconds"/> (so a 10-hour WAV is refused without being read).
    /// </summary>
    public float[] ReadClip(string path)
    {
        var seconds = AudioDurationProbe.TryWavSeconds(path);
        if (seconds > Options.MaxClipSeconds) throw TooLong(path, seconds.Value);
        if (seconds is null && File.Exists(path))
        {
            // Compressed formats: bound the file size by an uncompressed 48 kHz stereo 16-bit stream of the maximum length.
            long cap = (long)(Options.MaxClipSeconds * 48_000 * 2 * 2);
            long size = new FileInfo(path).Length;
            if (size > cap) throw new InferenceInputException($"{path}: {size / 1e6:F0} MB is more than a {Options.MaxClipSeconds:F0}-s clip can be; use 'ser timeline' for long recordings.");
        }
        var audio = AudioReader.Read(path, new AudioReadOptions { TargetSampleRate = SampleRate });
        if (audio.Duration > Options.MaxClipSeconds) throw TooLong(path, audio.Duration);
        return audio.Samples;
    }

    private InferenceInputException TooLong(string source, double seconds) =>
        new($"{source}: {seconds:F1} s is longer than the {Options.MaxClipSeconds:F0}-s limit for a whole-clip prediction; use 'ser timeline' (windowed) for long recordings.");

    private float[] ToModelRate(AudioBuffer audio)
    {
        var mono = audio.Samples;
        if (audio.Channels > 1)
        {
            mono = new float[audio.Frames];
            float scale = 1f / audio.Channels;
            for (int i = 0; i < mono.Length; i++)
            {
                float s = 0;
                for (int c = 0; c < audio.Channels; c++) s += audio.Samples[i * audio.Channels + c];
                mono[i] = s * scale;
            }
        }
        return audio.SampleRate == SampleRate ? mono : Resampler.Resample(mono, audio.SampleRate, SampleRate);
    }

    /// <summary>Checks the clip (length, silence) and extracts its features at <see cref="SampleRate"/>.</summary>
    /// <exception cref="InferenceInputException">Too short, too long or silent.</exception>
    public FeatureMatrix Extract(ReadOnlySpan<float> samples, string source = "samples")
    {
        double seconds = samples.Length / (double)SampleRate;
        if (seconds > Options.MaxClipSeconds) throw TooLong(source, seconds);
        if (seconds < Options.MinClipSeconds)
            throw new InferenceInputException($"{source}: {seconds:F3} s of audio is shorter than the {Options.MinClipSeconds} s minimum.");
        double dbfs = Loudness.ToDbfs(Loudness.Rms(samples));
        if (dbfs <= Options.SilenceDbfs)
            throw new InferenceInputException($"{source}: the audio is silent ({(double.IsNegativeInfinity(dbfs) ? "digital silence" : $"{dbfs:F1} dBFS RMS")}); there is no speech to recognise.");
        try { return FeatureSet.Extract(samples, SampleRate); }
        catch (SpeechEmotionException e) when (e is not InferenceInputException)
        {
            throw new InferenceInputException($"{source}: cannot extract {FeatureSet.Name} features: {e.Message}");
        }
    }

    /// <summary>Runs the network on prepared features (one per clip) and turns the outputs into predictions.</summary>
    public IReadOnlyList<EmotionPrediction> Classify(IReadOnlyList<FeatureMatrix> features, ReadOnlySpan<double> durations)
    {
        int b = features.Count, c = Labels.Count;
        if (b == 0) return [];
        var logits = new float[b * c];
        float[]? arousal = null, valence = null;
        bool arousalProb = false, valenceProb = false;
        Span<int> lengths = b <= 256 ? stackalloc int[b] : new int[b];
        var model = Rent();
        try
        {
            using var _ = Autograd.NoGrad();
            var x = Manifest.Preparation.Prepare(features, lengths);
            var output = Info.Masked ? model.Forward(x, lengths[..b]) : model.Forward(x, default);
            output.Logits.Span.CopyTo(logits);
            (arousal, arousalProb) = Head(output.ArousalLogit, output.Arousal);
            (valence, valenceProb) = Head(output.ValenceLogit, output.Valence);
        }
        catch (ShapeException e)
        {
            throw new ModelFormatException($"{Source}: the features do not fit the model: {e.Message}", e);
        }
        finally { _pool.Add(model); }

        var result = new EmotionPrediction[b];
        for (int i = 0; i < b; i++)
        {
            var p = new float[c];
            Softmax(logits.AsSpan(i * c, c), p, _temperature);
            int best = 0;
            for (int k = 1; k < c; k++) if (p[k] > p[best]) best = k;
            result[i] = new EmotionPrediction(Labels[best], best, p[best], Labels, p,
                arousal is null ? null : arousalProb ? Sigmoid(arousal[i]) : arousal[i],
                valence is null ? null : valenceProb ? Sigmoid(valence[i]) : valence[i],
                durations.Length > i ? durations[i] : 0);
        }
        return result;
    }

    private static (float[]? Values, bool Probability) Head(Tensor? logit, Tensor? regression) =>
        logit is not null ? (logit.ToArray(), true) : regression is not null ? (regression.ToArray(), false) : (null, false);

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>Numerically stable softmax of <paramref name="logits"/> / <paramref name="temperature"/> into <paramref name="probabilities"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities, double temperature = 1.0)
    {
        float inv = (float)(1.0 / temperature);
        float max = float.NegativeInfinity;
        foreach (var v in logits) max = MathF.Max(max, v);
        float sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += probabilities[i] = MathF.Exp((logits[i] - max) * inv);
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
    }

    private EmotionModel Rent() => _pool.TryTake(out var m) ? m : Build();

    private EmotionModel Build()
    {
        try
        {
            var model = ModelZoo.Create(Manifest.Spec, Manifest.Seed);
            model.LoadStateDict(_state, strict: true);
            model.Eval();
            return model;
        }
        catch (SpeechEmotionException e) when (e is not ModelFormatException)
        {
            throw new ModelFormatException($"{Source}: the weights do not fit the {Manifest.Spec.Architecture} network the manifest describes: {e.Message}", e);
        }
    }
}
