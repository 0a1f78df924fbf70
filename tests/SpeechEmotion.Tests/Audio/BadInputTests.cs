using System.Buffers.Binary;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Tests.Audio;

public class BadInputTests
{
    private static byte[] ValidFile() =>
        WavTestFiles.Build(1, 2, 16000, 16, WavTestFiles.Pcm16(1, 2, 3, 4, 5, 6, 7, 8), extraChunks: [("LIST", new byte[7])]);

    private static AudioFormatException Fails(byte[] wav) =>
        Assert.Throws<AudioFormatException>(() => AudioReader.Read(wav, sourceName: "bad.wav"));

    [Fact]
    public void TruncationAtEveryByteOffsetIsReported()
    {
        var wav = ValidFile();
        Assert.Equal(8, AudioReader.Read(wav).Samples.Length * 2);
        for (int cut = 0; cut < wav.Length; cut++)
        {
            var prefix = wav[..cut];
            var ex = Assert.Throws<AudioFormatException>(() => AudioReader.Read(prefix, sourceName: "cut.wav"));
            Assert.Contains("cut.wav", ex.Message);
            if (cut > 0)
            {
                var viaPipe = Assert.Throws<AudioFormatException>(() => AudioReader.Read(new PipeLikeStream(prefix, 3), sourceName: "pipe"));
                Assert.Contains("pipe", viaPipe.Message);
            }
        }
    }

    [Fact]
    public void TruncatedSharedFileIsReportedAtManyOffsets()
    {
        var wav = File.ReadAllBytes(WavTestFiles.Espeak16k);
        for (int cut = 1; cut < wav.Length; cut += cut < 200 ? 1 : 997)
            Assert.Throws<AudioFormatException>(() => AudioReader.Read(wav.AsSpan(0, cut)));
    }

    [Fact]
    public void ChunkLargerThanTheFileIsReported()
    {
        var wav = WavTestFiles.Build(1, 1, 16000, 16, WavTestFiles.Pcm16(1, 2), extraChunks: [("LIST", new byte[4])]);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 1_000_000);
        var ex = Fails(wav);
        Assert.Contains("'LIST' declares 1000000 bytes", ex.Message);
        Assert.Contains("bad.wav", ex.Message);
        // Through a pipe the length is unknown: the stream simply ends too early.
        Assert.Contains("truncated", Assert.Throws<AudioFormatException>(() => AudioReader.Read(new PipeLikeStream(wav))).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FourGigabyteDataSizeInAOneKilobyteFileAllocatesLittle(bool pipe)
    {
        var wav = WavTestFiles.Build(1, 1, 16000, 16, new byte[1000], dataSize: 0xFFFFFFF0);
        Exception Run() => Assert.Throws<AudioFormatException>(() =>
            _ = pipe ? AudioReader.Read(new PipeLikeStream(wav, 4096)) : AudioReader.Read(wav));
        Run(); // warm pooled buffers and JIT so only this read's own allocations are counted
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("4294967280", ex.Message);
        Assert.True(allocated < 100 * wav.Length, $"allocated {allocated} bytes for a {wav.Length}-byte file");
    }

    [Fact]
    public void ZeroChannels() => Assert.Contains("zero channels", Fails(WavTestFiles.Build(1, 0, 16000, 16, new byte[4], blockAlign: 2)).Message);

    [Theory]
    [InlineData(0u)]
    [InlineData(10u)]
    [InlineData(999u)]
    [InlineData(1_000_000u)]
    [InlineData(4_000_000_000u)]
    public void ZeroOrAbsurdSampleRate(uint rate)
    {
        var wav = WavTestFiles.Build(1, 1, 16000, 16, new byte[4]);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24), rate);
        var ex = Fails(wav);
        Assert.Contains($"sample rate {rate} Hz", ex.Message);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 7)]
    [InlineData(1, 13)]
    [InlineData(1, 64)]
    [InlineData(3, 16)]
    [InlineData(7, 16)]
    public void UnsupportedBitsPerSample(int tag, int bits)
    {
        var ex = Fails(WavTestFiles.Build((ushort)tag, 1, 16000, bits, new byte[16], blockAlign: Math.Max(1, bits / 8)));
        Assert.Contains($"{bits} bits per sample", ex.Message);
    }

    [Fact]
    public void BlockAlignMismatch()
    {
        var ex = Fails(WavTestFiles.Build(1, 2, 16000, 16, new byte[16], blockAlign: 2));
        Assert.Contains("block-align mismatch", ex.Message);
        Assert.Contains("block align 2", ex.Message);
    }

    [Theory]
    [InlineData(0x0002, "Microsoft ADPCM")]
    [InlineData(0x0011, "IMA ADPCM")]
    [InlineData(0x0055, "MP3")]
    public void UnsupportedCodec(int tag, string name)
    {
        var ex = Fails(WavTestFiles.Build((ushort)tag, 1, 8000, 4, new byte[16], blockAlign: 256));
        Assert.Contains("unsupported WAV codec", ex.Message);
        Assert.Contains(name, ex.Message);
        var ext = WavTestFiles.Build(0, 0, 0, 0, new byte[16], fmtOverride: WavTestFiles.FmtExtensible((ushort)tag, 1, 8000, 16, 16));
        Assert.Contains(name, Fails(ext).Message);
    }

    [Fact]
    public void StructuralProblemsAreNamed()
    {
        Assert.Contains("form type is 'AVI '", Fails("RIFF\0\0\0\0AVI "u8.ToArray()).Message);
        Assert.Contains("not a WAV", Assert.Throws<AudioFormatException>(() => WavDecoder.Decode(new MemoryStream("OggS\0\0\0\0\0\0\0\0"u8.ToArray()), "x", AudioReadOptions.Default)).Message);
        Assert.Contains("big-endian", Fails("RIFX\0\0\0\0WAVE"u8.ToArray()).Message);
        Assert.Contains("no fmt chunk", Fails("RIFF\0\0\0\0WAVE"u8.ToArray()).Message);
        var noData = WavTestFiles.Build(1, 1, 16000, 16, []).AsSpan(0, 36).ToArray();
        Assert.Contains("no data chunk", Fails(noData).Message);
        var dataFirst = "RIFF\0\0\0\0WAVEdata\u0002\0\0\0\0\0"u8.ToArray();
        Assert.Contains("before the fmt chunk", Fails(dataFirst).Message);
        var shortFmt = WavTestFiles.Build(1, 1, 16000, 16, new byte[2], fmtOverride: new byte[14]);
        Assert.Contains("at least 16", Fails(shortFmt).Message);
        var ex = Assert.Throws<AudioFormatException>(() => AudioReader.Read("/nonexistent/clip.wav"));
        Assert.Contains("/nonexistent/clip.wav", ex.Message);
        Assert.Contains("empty", Assert.Throws<AudioFormatException>(() => AudioReader.Read(new MemoryStream())).Message);
    }
}
