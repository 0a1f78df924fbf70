using SpeechEmotion.Audio;

namespace SpeechEmotion.Tests.Audio;

public class TrimAndLoudnessTests
{
    [Theory]
    [InlineData("trim_top_db25_interval", 25, 256, 64)]
    [InlineData("trim_top_db60_interval", 60, 2048, 512)]
    public void TrimIntervalEqualsLibrosa(string caseName, double topDb, int frameLength, int hop)
    {
        var y = AudioReader.Read(WavTestFiles.Espeak16k).Samples;
        var expected = WavTestFiles.ReferenceArray("reference/librosa/effects_espeak_en.json", "cases", caseName, "data");
        var interval = Trimmer.FindInterval(y, new TrimOptions { TopDb = topDb, FrameLength = frameLength, HopLength = hop });
        Assert.Equal(((int)expected[0], (int)expected[1]), (interval.Start, interval.End));
        Assert.Equal(interval.Length, Trimmer.Trim(y, new TrimOptions { TopDb = topDb, FrameLength = frameLength, HopLength = hop }).Length);
    }

    [Fact]
    public void TrimRemovesPaddedSilenceAndKeepsDigitalSilenceAsLibrosaDoes()
    {
        var y = new float[16000];
        for (int i = 6000; i < 10000; i++) y[i] = (float)Math.Sin(i * 0.3) * 0.5f;
        var interval = Trimmer.FindInterval(y, new TrimOptions { TopDb = 40, FrameLength = 400, HopLength = 100 });
        Assert.InRange(interval.Start, 5500, 6000);
        Assert.InRange(interval.End, 10000, 10500);
        // As in librosa, digital silence is its own reference level (0 dB): nothing is trimmed.
        Assert.Equal(new TrimInterval(0, 5000), Trimmer.FindInterval(new float[5000]));
        Assert.Equal(new TrimInterval(0, 0), Trimmer.FindInterval([]));
        Assert.Throws<InvalidOptionsException>(() => Trimmer.FindInterval(y, new TrimOptions { TopDb = -1, HopLength = 0 }));
    }

    [Fact]
    public void PeakAndRmsNormalisation()
    {
        var y = AudioReader.Read(WavTestFiles.Espeak16k).Samples;
        var peakNorm = new float[y.Length];
        Loudness.NormalizePeak(y, peakNorm, 0.5f);
        Assert.Equal(0.5f, Loudness.Peak(peakNorm), 6);

        var rmsNorm = new float[y.Length];
        Loudness.NormalizeRms(y, rmsNorm, -30);
        Assert.Equal(-30, Loudness.ToDbfs(Loudness.Rms(rmsNorm)), 3);

        // Asking for a loud RMS would clip: the gain is capped at peak 1.
        var loud = new float[y.Length];
        Loudness.NormalizeRms(y, loud, -3);
        Assert.Equal(1f, Loudness.Peak(loud), 5);

        var silence = new float[100];
        Assert.Equal(1f, Loudness.NormalizePeak(silence, silence));
        Assert.Equal(1f, Loudness.NormalizeRms(silence, silence));
        Assert.All(silence, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RmsAndPeakOfAKnownSine()
    {
        var x = new float[48000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 48000.0));
        Assert.Equal(0.5 / Math.Sqrt(2), Loudness.Rms(x), 5);
        Assert.Equal(0.5f, Loudness.Peak(x), 4);
    }
}
