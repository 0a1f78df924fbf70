using System.Text.Json;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Dsp;
using SpeechEmotion.Tests.Features;

namespace SpeechEmotion.Tests.Augmentation;

/// <summary>librosa.effects.time_stretch / pitch_shift reference outputs on espeak_en_16k.wav.</summary>
public class PhaseVocoderTests
{
    private static readonly Lazy<(float[] Input, Dictionary<string, (JsonElement Params, float[] Data)> Cases)> Reference = new(Load);

    private static (float[], Dictionary<string, (JsonElement, float[])>) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path("reference/librosa/effects_espeak_en.json")));
        var input = LibrosaReference.ReadWav16(SharedData.Path(doc.RootElement.GetProperty("meta").GetProperty("input").GetString()!));
        var cases = new Dictionary<string, (JsonElement, float[])>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            var data = c.Value.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            cases[c.Name] = (c.Value.GetProperty("params").Clone(), data);
        }
        return (input, cases);
    }

    /// <summary>10·log10(Σ(|A|−|B|)² / Σ|B|²) over magnitude spectrograms (n_fft 2048, hop 512).</summary>
    internal static double SpectralErrorDb(float[] ours, float[] reference)
    {
        var a = Stft.Magnitude(ours, PhaseVocoder.DefaultStft);
        var b = Stft.Magnitude(reference, PhaseVocoder.DefaultStft);
        Assert.Equal(b.Frames, a.Frames);
        double err = 0, sig = 0;
        for (var i = 0; i < b.Data.Length; i++)
        {
            var d = (double)a.Data[i] - b.Data[i];
            err += d * d;
            sig += (double)b.Data[i] * b.Data[i];
        }
        return 10 * Math.Log10(err / sig);
    }

    internal static double WaveformErrorDb(float[] ours, float[] reference)
    {
        double err = 0, sig = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = (double)ours[i] - reference[i];
            err += d * d;
            sig += (double)reference[i] * reference[i];
        }
        return 10 * Math.Log10(err / sig);
    }

    [Theory]
    [InlineData("time_stretch_0.8")]
    [InlineData("time_stretch_1.25")]
    public void Time_stretch_matches_librosa(string name)
    {
        var (input, cases) = Reference.Value;
        var (p, expected) = cases[name];
        var ours = PhaseVocoder.TimeStretch(input, p.GetProperty("rate").GetDouble());
        Assert.Equal(expected.Length, ours.Length);
        var spectral = SpectralErrorDb(ours, expected);
        var waveform = WaveformErrorDb(ours, expected);
        // Same algorithm and float32 phase accumulation as librosa: the waveform itself agrees, not just the spectrum.
        Assert.True(spectral < -60, $"{name}: spectral error {spectral:F1} dB");
        Assert.True(waveform < -50, $"{name}: waveform error {waveform:F1} dB");
    }

    [Theory]
    [InlineData("pitch_shift_+2")]
    [InlineData("pitch_shift_-3")]
    public void Pitch_shift_matches_librosa_spectrally(string name)
    {
        var (input, cases) = Reference.Value;
        var (p, expected) = cases[name];
        var ours = PhaseVocoder.PitchShift(input, 16000, p.GetProperty("n_steps").GetDouble(), p.GetProperty("bins_per_octave").GetInt32());
        Assert.Equal(expected.Length, ours.Length);
        Assert.Equal(input.Length, ours.Length);
        // librosa resampled with resampy kaiser_best; our polyphase filter differs near Nyquist, so compare magnitudes.
        var spectral = SpectralErrorDb(ours, expected);
        var waveform = WaveformErrorDb(ours, expected);
        Assert.True(spectral < -33, $"{name}: spectral error {spectral:F1} dB");
        // The fractional rate sr/r is honoured to ~1e-6, so even the waveforms stay aligned to the end.
        Assert.True(waveform < -25, $"{name}: waveform error {waveform:F1} dB");
    }

    [Fact]
    public void Rate_one_is_nearly_identity()
    {
        var (input, _) = Reference.Value;
        var ours = PhaseVocoder.TimeStretch(input, 1.0);
        Assert.Equal(input.Length, ours.Length);
        Assert.True(WaveformErrorDb(ours, input) < -50); // float32 phase accumulation, as librosa
    }

    [Fact]
    public void Bad_rate_is_rejected()
    {
        Assert.Throws<InvalidOptionsException>(() => PhaseVocoder.TimeStretch(new float[100], 0));
        Assert.Throws<InvalidOptionsException>(() => PhaseVocoder.TimeStretch(new float[100], double.NaN));
        Assert.Throws<InvalidOptionsException>(() => PhaseVocoder.PitchShift(new float[100], 16000, 40));
    }
}
