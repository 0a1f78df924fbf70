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

public class WavEncodingTests
{
    [Fact]
    public void DecodesEveryPcmWidth()
    {
        Assert.Equal([-1f, 0f, 127 / 128f], AudioReader.Read(WavTestFiles.Build(1, 1, 8000, 8, [0, 128, 255])).Samples);
        byte[] s24 = [0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x40];
        Assert.Equal([-1f, 0f, 8388607 / 8388608f, 0.5f], AudioReader.Read(WavTestFiles.Build(1, 1, 96000, 24, s24)).Samples);
        byte[] s32 = [0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x40];
        Assert.Equal([-1f, 0.5f], AudioReader.Read(WavTestFiles.Build(1, 1, 192000, 32, s32)).Samples);
        var f64 = new byte[16];
        BitConverter.TryWriteBytes(f64.AsSpan(0), 0.25);
        BitConverter.TryWriteBytes(f64.AsSpan(8), -0.75);
        var a = AudioReader.Read(WavTestFiles.Build(3, 1, 44100, 64, f64));
        Assert.Equal([0.25f, -0.75f], a.Samples);
        Assert.Equal("IEEE float 64-bit", a.Source.Codec);
    }

    [Fact]
    public void DecodesG711ToTheItuLevels()
    {
        // mu-law 0x00 = -32124, 0x80 = +32124, 0xFF = 0; A-law 0xD5 = +8, 0x55 = -8, 0xAA = +32256.
        var mu = AudioReader.Read(WavTestFiles.Build(7, 1, 8000, 8, [0x00, 0x80, 0xFF]));
        Assert.Equal([-32124 / 32768f, 32124 / 32768f, 0f], mu.Samples);
        Assert.Equal(AudioEncoding.MuLaw, mu.Source.Encoding);
        var al = AudioReader.Read(WavTestFiles.Build(6, 1, 8000, 8, [0xD5, 0x55, 0xAA]));
        Assert.Equal([8 / 32768f, -8 / 32768f, 32256 / 32768f], al.Samples);
        Assert.Equal(AudioEncoding.ALaw, al.Source.Encoding);
        // Every code decodes, and the tables are odd-symmetric around the sign bit.
        for (int c = 0; c < 128; c++)
        {
            Assert.Equal(-SampleDecoderProbe.MuLaw((byte)c), SampleDecoderProbe.MuLaw((byte)(c | 0x80)));
            Assert.Equal(-SampleDecoderProbe.ALaw((byte)c), SampleDecoderProbe.ALaw((byte)(c | 0x80)));
        }
    }

    [Fact]
    public void DecodesExtensibleWithManyChannels()
    {
        // 6 channels, 24-bit container with 20 valid bits, PCM sub-format.
        var fmt = WavTestFiles.FmtExtensible(1, 6, 48000, 24, 20, 0x3F);
        var data = new byte[6 * 3 * 2];
        data[2] = 0x40; // frame 0, channel 0 = +0.5
        data[6 * 3 + 5 * 3 + 2] = 0xC0; // frame 1, channel 5 = -0.5
        var wav = WavTestFiles.Build(0, 0, 0, 0, data, fmtOverride: fmt);
        var mixed = AudioReader.Read(wav);
        Assert.Equal([0.5f / 6, -0.5f / 6], mixed.Samples);
        Assert.Equal(6, mixed.Source.Channels);
        var ch5 = AudioReader.Read(wav, new AudioReadOptions { Channels = ChannelMode.Pick, Channel = 5 });
        Assert.Equal([0f, -0.5f], ch5.Samples);
        var ex = Assert.Throws<AudioFormatException>(() => AudioReader.Read(wav, new AudioReadOptions { Channels = ChannelMode.Pick, Channel = 6 }));
        Assert.Contains("6 channel", ex.Message);
        var floatExt = WavTestFiles.Build(0, 0, 0, 0, WavTestFiles.Float32(0.125f), fmtOverride: WavTestFiles.FmtExtensible(3, 1, 16000, 32, 32));
        Assert.Equal([0.125f], AudioReader.Read(floatExt).Samples);
    }

    [Fact]
    public void ReadsRf64()
    {
        var data = WavTestFiles.Pcm16(1000, -1000, 2000);
        var a = AudioReader.Read(WavTestFilesExtra.BuildRf64(WavTestFiles.Fmt(1, 1, 16000, 16), data));
        Assert.Equal([1000 / 32768f, -1000 / 32768f, 2000 / 32768f], a.Samples);
        Assert.Equal("RF64", a.Source.Container);
        var streamed = AudioReader.Read(WavTestFilesExtra.BuildRf64(WavTestFiles.Fmt(1, 1, 16000, 16), data, dataSizeInDs64: false));
        Assert.Equal(3, streamed.Samples.Length);
        // A 1 TiB size in ds64 on a tiny file is reported, not trusted.
        var huge = WavTestFilesExtra.BuildRf64(WavTestFiles.Fmt(1, 1, 16000, 16), data);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(huge.AsSpan(28), 1UL << 40);
        Assert.Contains("declares 1099511627776 bytes", Assert.Throws<AudioFormatException>(() => AudioReader.Read(huge)).Message);
        Assert.Contains("truncated", Assert.Throws<AudioFormatException>(() => AudioReader.Read(new PipeLikeStream(huge))).Message);
    }

    [Fact]
    public void SkipsUnknownChunksWithOddSizePadding()
    {
        var wav = WavTestFiles.Build(1, 1, 16000, 16, WavTestFiles.Pcm16(1, 2, 3),
            extraChunks: [("LIST", new byte[5]), ("JUNK", new byte[3]), ("bext", new byte[10]), ("fact", new byte[4]), ("cue ", new byte[1])]);
        Assert.Equal([1 / 32768f, 2 / 32768f, 3 / 32768f], AudioReader.Read(wav).Samples);
        Assert.Equal(3, AudioReader.Read(new PipeLikeStream(wav)).Samples.Length);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void StreamedDataSizeReadsToTheEnd(uint declared)
    {
        var samples = new short[5001];
        for (int i = 0; i < samples.Length; i++) samples[i] = (short)(i * 3);
        var data = WavTestFiles.Pcm16(samples);
        var wav = WavTestFiles.Build(1, 1, 16000, 16, [.. data, 0x11], dataSize: declared); // plus half a frame
        foreach (var a in new[] { AudioReader.Read(wav), AudioReader.Read(new PipeLikeStream(wav, 4093)), AudioReader.Read(new MemoryStream(wav)) })
        {
            Assert.Equal(5001, a.Samples.Length); // the trailing partial frame is dropped
            Assert.Equal(15000 / 32768f, a.Samples[5000]);
        }
    }

    [Fact]
    public void NonSeekableStreamInSmallReadsEqualsFile()
    {
        var bytes = File.ReadAllBytes(WavTestFiles.Espeak16k);
        var fromFile = AudioReader.Read(WavTestFiles.Espeak16k);
        var fromPipe = AudioReader.Read(new PipeLikeStream(bytes, 1000), sourceName: "stdin");
        Assert.Equal(fromFile.Samples, fromPipe.Samples);
        Assert.Equal(fromFile.Samples, AudioReader.Read(bytes).Samples);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteFloatSamplesAreReported(float bad)
    {
        var wav = WavTestFiles.Build(3, 2, 16000, 32, WavTestFiles.Float32(0f, 0.5f, 0.25f, bad));
        var ex = Assert.Throws<AudioFormatException>(() => AudioReader.Read(wav, sourceName: "x.wav"));
        Assert.Contains("x.wav", ex.Message);
        Assert.Contains("sample 1 (channel 1)", ex.Message);
        Assert.Contains("finite", ex.Message);
    }

    [Fact]
    public void ReadsAndResamplesOnRequest()
    {
        var a = AudioReader.Read(WavTestFiles.Espeak16k, new AudioReadOptions { TargetSampleRate = 22050 });
        Assert.Equal(22050, a.SampleRate);
        Assert.Equal(70668, a.Samples.Length);
        Assert.Equal(16000, a.Source.SampleRate);
        // Resampling while decoding (in chunks, also from a pipe) gives exactly the one-shot result.
        var whole = Resampler.Resample(AudioReader.Read(WavTestFiles.Espeak16k).Samples, 16000, 22050);
        Assert.Equal(whole, a.Samples);
        var piped = AudioReader.Read(new PipeLikeStream(File.ReadAllBytes(WavTestFiles.Espeak16k), 777), new AudioReadOptions { TargetSampleRate = 22050 });
        Assert.Equal(whole, piped.Samples);
        var down = AudioReader.Read(WavTestFiles.Espeak16k, new AudioReadOptions { TargetSampleRate = 8000, ResamplerQuality = ResamplerQuality.Fast });
        Assert.Equal(Resampler.Resample(AudioReader.Read(WavTestFiles.Espeak16k).Samples, 16000, 8000, ResamplerQuality.Fast), down.Samples);
        Assert.Throws<InvalidOptionsException>(() => AudioReader.Read(WavTestFiles.Espeak16k, new AudioReadOptions { TargetSampleRate = 5, Channel = -1 }));
    }
}

internal static class SampleDecoderProbe
{
    public static int MuLaw(byte b) => SpeechEmotion.Audio.SampleDecoder.MuLawToLinear(b);
    public static int ALaw(byte b) => SpeechEmotion.Audio.SampleDecoder.ALawToLinear(b);
}
