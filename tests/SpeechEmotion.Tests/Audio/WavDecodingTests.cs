using SpeechEmotion.Audio;

namespace SpeechEmotion.Tests.Audio;

public class WavDecodingTests
{
    [Fact]
    public void ReadsSharedSpeechClipExactlyAsLibrosaLoads()
    {
        var audio = AudioReader.Read(WavTestFiles.Espeak16k);
        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(51278, audio.Samples.Length);
        Assert.Equal(3.204875, audio.Duration, 9);
        Assert.Equal(new AudioSourceFormat("WAV", AudioEncoding.PcmInteger, "PCM 16-bit", 16, 1, 16000), audio.Source);
        // librosa.load(sr=None) = int16 / 32768: the reference's STFT input must equal ours bit for bit.
        var bytes = File.ReadAllBytes(WavTestFiles.Espeak16k);
        int dataAt = bytes.AsSpan().IndexOf("data"u8) + 8;
        for (int i = 0; i < audio.Samples.Length; i += 97)
            Assert.Equal(BitConverter.ToInt16(bytes, dataAt + 2 * i) / 32768f, audio.Samples[i]);
    }

    [Fact]
    public void DecodesPcm16AndMixesStereoByAveraging()
    {
        var wav = WavTestFiles.Build(1, 2, 16000, 16, WavTestFiles.Pcm16(16384, 0, -32768, 32767, 100, 300));
        var mixed = AudioReader.Read(wav);
        Assert.Equal([0.25f, (-32768 + 32767) / 65536f, 200 / 32768f], mixed.Samples);
        Assert.Equal(2, mixed.Source.Channels);
        Assert.Equal(1, mixed.Channels);
        var right = AudioReader.Read(wav, new AudioReadOptions { Channels = ChannelMode.Pick, Channel = 1 });
        Assert.Equal([0f, 32767 / 32768f, 300 / 32768f], right.Samples);
        var both = AudioReader.Read(wav, new AudioReadOptions { Channels = ChannelMode.Keep });
        Assert.Equal(2, both.Channels);
        Assert.Equal(3, both.Frames);
        Assert.Equal(6, both.Samples.Length);
    }

    [Fact]
    public void DecodesFloat32()
    {
        var wav = WavTestFiles.Build(3, 1, 48000, 32, WavTestFiles.Float32(0.5f, -0.25f, 1f));
        var a = AudioReader.Read(wav);
        Assert.Equal([0.5f, -0.25f, 1f], a.Samples);
        Assert.Equal(AudioEncoding.IeeeFloat, a.Source.Encoding);
    }
}
