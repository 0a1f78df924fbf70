using SpeechEmotion.Audio;

namespace SpeechEmotion.Tests.Audio;

public sealed class WavWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ser-wavwriter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Pcm16RoundTripsTheSharedClipBitExactly()
    {
        var original = AudioReader.Read(WavTestFiles.Espeak16k);
        var path = Path.Combine(_dir, "copy.wav");
        WavWriter.Write(path, original.Samples, 16000, WavSampleFormat.Pcm16);
        var back = AudioReader.Read(path);
        Assert.Equal(original.Samples, back.Samples);
        Assert.Equal(original.Source, back.Source);
        // Same bytes as the original's data chunk.
        var a = File.ReadAllBytes(WavTestFiles.Espeak16k);
        var b = File.ReadAllBytes(path);
        Assert.True(a.AsSpan(a.AsSpan().IndexOf("data"u8)).SequenceEqual(b.AsSpan(b.AsSpan().IndexOf("data"u8))));
    }

    [Fact]
    public void Float32RoundTripsExactlyAndPcm16Clips()
    {
        float[] x = [0f, 0.1234567f, -0.9999f, 1.5f, -2f];
        var f = Path.Combine(_dir, "f.wav");
        WavWriter.Write(f, x, 48000, WavSampleFormat.Float32);
        var back = AudioReader.Read(f);
        Assert.Equal(x, back.Samples);
        Assert.Equal(AudioEncoding.IeeeFloat, back.Source.Encoding);
        var p = Path.Combine(_dir, "p.wav");
        WavWriter.Write(p, x, 48000, WavSampleFormat.Pcm16);
        Assert.Equal([0f, 4045 / 32768f, -32765 / 32768f, 32767 / 32768f, -1f], AudioReader.Read(p).Samples);
    }

    [Fact]
    public void MultichannelIsInterleaved()
    {
        var p = Path.Combine(_dir, "st.wav");
        WavWriter.Write(p, [0.5f, -0.5f, 0.25f, -0.25f], 16000, WavSampleFormat.Pcm16, channels: 2);
        var kept = AudioReader.Read(p, new AudioReadOptions { Channels = ChannelMode.Keep });
        Assert.Equal(2, kept.Channels);
        Assert.Equal([0.5f, -0.5f, 0.25f, -0.25f], kept.Samples);
        var resampled = AudioReader.Read(p, new AudioReadOptions { Channels = ChannelMode.Keep, TargetSampleRate = 32000 });
        Assert.Equal(2, resampled.Channels);
        Assert.Equal(4, resampled.Frames);
    }

    [Fact]
    public void WritesAtomicallyAndReplacesAnExistingFile()
    {
        var p = Path.Combine(_dir, "out.wav");
        File.WriteAllText(p, "old");
        WavWriter.Write(p, new float[100], 16000, WavSampleFormat.Pcm16);
        Assert.Equal(100, AudioReader.Read(p).Samples.Length);
        Assert.Equal(["out.wav"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void BadInputLeavesNoFileBehind()
    {
        var p = Path.Combine(_dir, "nan.wav");
        var ex = Assert.Throws<AudioFormatException>(() => WavWriter.Write(p, [0f, float.NaN], 16000, WavSampleFormat.Float32));
        Assert.Contains("sample 1", ex.Message);
        Assert.Contains("nan.wav", ex.Message);
        Assert.Throws<AudioFormatException>(() => WavWriter.Write(p, [0f], 10, WavSampleFormat.Pcm16));
        Assert.Throws<AudioFormatException>(() => WavWriter.Write(p, [0f, 0f, 0f], 16000, WavSampleFormat.Pcm16, channels: 2));
        Assert.Throws<AudioFormatException>(() => WavWriter.Write(Path.Combine(_dir, "no", "such", "dir.wav"), [0f], 16000, WavSampleFormat.Pcm16));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
