using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Inference;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Packaging;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Inference;

/// <summary>A tiny seeded model saved to a temp folder, shared by the inference tests.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Dir = Directory.CreateTempSubdirectory("ser-inf-").FullName;
        (Manifest, State) = ModelPackageTests.TinyModel();
        ModelPath = Path.Combine(Dir, "tiny.sermodel");
        ModelPackage.Save(ModelPath, Manifest, State);
        Recognizer = EmotionRecognizer.Load(ModelPath);
    }

    public string Dir { get; }
    public ModelManifest Manifest { get; }
    public Dictionary<string, Tensor> State { get; }
    public string ModelPath { get; }
    public EmotionRecognizer Recognizer { get; }

    public string Wav(string name, float[] samples, int rate = 16_000)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WavWriter.Write(path, samples, rate, WavSampleFormat.Pcm16);
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class RecognizerTests(TinyModelFixture fx) : IClassFixture<TinyModelFixture>
{
    private static float[] Tone(double seconds, double f0 = 140, int rate = 16_000, int seed = 1) => ModelPackageTests.Tone(rate, seconds, f0, seed: seed);

    [Fact]
    public void RecognizeEqualsAManualPipelineWithTheStoredTemperature()
    {
        var x = Tone(2.0);
        var p = fx.Recognizer.Recognize(x, 16_000);
        // Manual: the same feature set, preparation and a freshly rebuilt network, softmax(z / 1.5).
        var features = FeatureSets.FromJson(fx.Manifest.FeatureSet).Extract(x, 16_000);
        var net = ModelZoo.Create(fx.Manifest.Spec, 99);
        net.LoadStateDict(fx.State, strict: true);
        net.Eval();
        Span<int> len = stackalloc int[1];
        using var _ = Autograd.NoGrad();
        var logits = net.Forward(fx.Manifest.Preparation.Prepare([features], len), default).Logits.ToArray();
        var expected = logits.Select(z => Math.Exp(z / 1.5)).ToArray();
        double sum = expected.Sum();
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k] / sum, p.Probabilities[k], 5);
        Assert.Equal(1.0, p.Probabilities.Sum(), 5);
        Assert.Equal(p.Probabilities.Max(), p.Confidence);
        Assert.Equal(fx.Manifest.Labels[Array.IndexOf(p.Probabilities, p.Confidence)], p.Label);
        Assert.Null(p.Arousal);
        Assert.Equal(2.0, p.Duration, 3);
        // Calibration off gives softmax(z) with the same label.
        var raw = new EmotionRecognizer(ModelPackage.Load(fx.ModelPath), "m", new RecognizerOptions { UseCalibration = false }).Recognize(x, 16_000);
        Assert.Equal(p.Label, raw.Label);
        Assert.True(raw.Confidence > p.Confidence);
    }

    [Fact]
    public void OtherRatesAndStereoAreConvertedToTheModelRate()
    {
        var x16 = Tone(1.5);
        var x48 = Tone(1.5, rate: 48_000);
        var direct = fx.Recognizer.Recognize(Resampler.Resample(x48, 48_000, 16_000), 16_000);
        var via = fx.Recognizer.Recognize(x48, 48_000);
        Assert.Equal(direct.Probabilities, via.Probabilities);
        // A WAV file at 48 kHz is resampled while decoding, as the in-memory path resamples its native-rate samples.
        var wav48 = fx.Wav("tone48.wav", x48, 48_000);
        var fromFile = fx.Recognizer.Recognize(wav48);
        var native = AudioReader.Read(wav48);
        Assert.Equal(48_000, native.SampleRate);
        var inMemory = fx.Recognizer.Recognize(native.Samples, 48_000);
        for (int k = 0; k < inMemory.Probabilities.Length; k++) Assert.Equal(inMemory.Probabilities[k], fromFile.Probabilities[k], 4);
        var reference = fx.Recognizer.Recognize(x16, 16_000);
        // Identical channels average to the mono signal.
        var stereo = new float[x16.Length * 2];
        for (int i = 0; i < x16.Length; i++) stereo[2 * i] = stereo[2 * i + 1] = x16[i];
        var buffer = new AudioBuffer(stereo, 16_000, new AudioSourceFormat("test", AudioEncoding.IeeeFloat, "f32", 32, 2, 16_000), channels: 2);
        Assert.Equal(reference.Probabilities, fx.Recognizer.Recognize(buffer).Probabilities);
    }

    [Fact]
    public void ConcurrentCallsAndBatchesMatchSequentialCalls()
    {
        var clips = Enumerable.Range(0, 24).Select(i => Tone(1.0 + 0.05 * i, 110 + 10 * i, seed: i)).ToArray();
        var sequential = clips.Select(c => fx.Recognizer.Recognize(c, 16_000)).ToArray();
        var parallel = new EmotionPrediction[clips.Length];
        Parallel.For(0, clips.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, j => parallel[j % clips.Length] = fx.Recognizer.Recognize(clips[j % clips.Length], 16_000));
        var buffers = clips.Select(c => new AudioBuffer(c, 16_000, new AudioSourceFormat("test", AudioEncoding.IeeeFloat, "f32", 32, 1, 16_000))).ToArray();
        var batch = new EmotionRecognizer(ModelPackage.Load(fx.ModelPath), "m", new RecognizerOptions { BatchSize = 5 }).RecognizeBatch(buffers);
        for (int i = 0; i < clips.Length; i++)
        {
            Assert.Equal(sequential[i].Probabilities, parallel[i].Probabilities);
            for (int k = 0; k < 3; k++) Assert.Equal(sequential[i].Probabilities[k], batch[i].Probabilities[k], 5);
        }
    }

    [Fact]
    public void SilentShortAndOverlongInputsAreRefusedByName()
    {
        var r = fx.Recognizer;
        Assert.Contains("silent", Assert.Throws<InferenceInputException>(() => r.Recognize(new float[16_000], 16_000, "quiet.wav")).Message);
        Assert.Contains("shorter", Assert.Throws<InferenceInputException>(() => r.Recognize(Tone(0.05), 16_000, "tiny.wav")).Message);
        var small = new EmotionRecognizer(ModelPackage.Load(fx.ModelPath), "m", new RecognizerOptions { MaxClipSeconds = 2 });
        Assert.Contains("longer than", Assert.Throws<InferenceInputException>(() => small.Recognize(Tone(3), 16_000, "long.wav")).Message);
        Assert.Contains("shorter", Assert.Throws<InferenceInputException>(() => r.Recognize(fx.Wav("no-samples.wav", []))).Message);
        var empty = Path.Combine(fx.Dir, "empty.wav");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty.wav", Assert.Throws<AudioFormatException>(() => r.Recognize(empty)).Message);
        var text = Path.Combine(fx.Dir, "notes.wav");
        File.WriteAllText(text, "this is not audio at all, just some text in a file called .wav");
        Assert.ThrowsAny<SpeechEmotionException>(() => r.Recognize(text));
    }

    [Fact]
    public void TenHourWavIsRefusedFromItsHeaderWithoutDecoding()
    {
        // A 44-byte header claiming 10 h of 16 kHz 16-bit mono, followed by only 1 s of data.
        var path = Path.Combine(fx.Dir, "ten-hours.wav");
        uint dataBytes = 10u * 3600 * 16_000 * 2;
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write("RIFF"u8); w.Write(36 + dataBytes); w.Write("WAVEfmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1);
            w.Write(16_000); w.Write(32_000); w.Write((short)2); w.Write((short)16); w.Write("data"u8); w.Write(dataBytes);
            w.Write(new byte[32_000]);
        }
        // The probe measures what the file really holds (the header's claim is clipped to the file).
        Assert.Equal(1.0, AudioDurationProbe.TryWavSeconds(path)!.Value, 3);
        var huge = Path.Combine(fx.Dir, "sparse-ten-hours.wav");
        File.Copy(path, huge);
        using (var f = new FileStream(huge, FileMode.Open)) f.SetLength(44 + dataBytes); // sparse file: no 1 GB written
        Assert.Equal(36_000, AudioDurationProbe.TryWavSeconds(huge)!.Value, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InferenceInputException>(() => fx.Recognizer.Recognize(huge));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("sparse-ten-hours.wav", ex.Message);
        Assert.Contains("ser timeline", ex.Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheNetworkAreAModelFormatErrorNamingTheFile()
    {
        var state = new Dictionary<string, Tensor>(fx.State);
        var key = state.Keys.First();
        state.Remove(key);
        var ex = Assert.Throws<ModelFormatException>(() => new EmotionRecognizer(new LoadedModelPackage(fx.Manifest, state), "broken.sermodel"));
        Assert.Contains("broken.sermodel", ex.Message);
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void TemperatureFitRecoversTheGeneratingTemperature()
    {
        // Labels drawn from softmax(z / 2.5): the NLL-optimal temperature is close to 2.5.
        var rng = new Random(5);
        int n = 4000, c = 5;
        var logits = new float[n * c];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            var p = new double[c];
            for (int k = 0; k < c; k++) { logits[i * c + k] = (float)(rng.NextDouble() * 8 - 4); p[k] = Math.Exp(logits[i * c + k] / 2.5); }
            double u = rng.NextDouble() * p.Sum(), acc = 0;
            labels[i] = c - 1;
            for (int k = 0; k < c; k++) { acc += p[k]; if (u < acc) { labels[i] = k; break; } }
        }
        double t = TemperatureCalibration.Fit(logits, labels);
        Assert.InRange(t, 2.2, 2.8);
        Assert.True(TemperatureCalibration.NegativeLogLikelihood(logits, labels, t) < TemperatureCalibration.NegativeLogLikelihood(logits, labels, 1.0));
        Assert.Equal(1.0, TemperatureCalibration.Fit([], []));
        Assert.Throws<InvalidOptionsException>(() => TemperatureCalibration.Fit([1f, 2f, 3f, 4f], [0, 2]));
        Assert.Throws<InvalidOptionsException>(() => TemperatureCalibration.Fit([1f, float.NaN], [0]));
    }
}
