using System.Diagnostics;
using SpeechEmotion.Audio;

namespace SpeechEmotion.Tests.Audio;

/// <summary>
/// The ffmpeg bridge. Compressed files are made with ffmpeg at test time from a shared WAV. Where ffmpeg is
/// missing (CI installs it), each test checks the "ffmpeg not found" error instead.
/// </summary>
public sealed class FfmpegTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ser-ffmpeg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Available => FfmpegDecoder.Executable is not null;

    /// <summary>Encodes the shared speech clip with ffmpeg; null when ffmpeg is missing.</summary>
    private string? Encode(string extension, params string[] codecArgs)
    {
        if (!Available) return null;
        var output = Path.Combine(_dir, "clip" + extension);
        var psi = new ProcessStartInfo(FfmpegDecoder.Executable!) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y", "-i", WavTestFiles.Espeak16k }) psi.ArgumentList.Add(a);
        foreach (var a in codecArgs) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(output);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg failed to make the test file: {err}");
        return output;
    }

    [Fact]
    public void FlacDecodesLosslesslyAndNamesItsSource()
    {
        var flac = Encode(".flac", "-c:a", "flac");
        if (flac is null) { AssertNotFoundPath(); return; }
        var a = AudioReader.Read(flac);
        Assert.Equal(AudioReader.Read(WavTestFiles.Espeak16k).Samples, a.Samples);
        Assert.Equal(16000, a.SampleRate);
        Assert.Equal("flac", a.Source.Container);
        Assert.Equal("flac", a.Source.Codec);
        Assert.Equal(AudioEncoding.Compressed, a.Source.Encoding);
        Assert.Equal(1, a.Source.Channels);
    }

    [Theory]
    [InlineData(".mp3", "libmp3lame", 16000, "mp3")]
    [InlineData(".ogg", "libvorbis", 16000, "vorbis")]
    [InlineData(".opus", "libopus", 48000, "opus")]
    [InlineData(".m4a", "aac", 16000, "aac")]
    [InlineData(".webm", "libopus", 48000, "opus")]
    public void LossyFormatsDecodeAtTheirNativeRate(string extension, string codec, int expectedRate, string codecName)
    {
        var file = Encode(extension, "-c:a", codec);
        if (file is null) { AssertNotFoundPath(); return; }
        var a = AudioReader.Read(file);
        Assert.Equal(expectedRate, a.SampleRate);
        Assert.Equal(codecName, a.Source.Codec);
        Assert.InRange(a.Duration, 3.2048 - 0.08, 3.2048 + 0.08);
        double refRms = Loudness.ToDbfs(Loudness.Rms(AudioReader.Read(WavTestFiles.Espeak16k).Samples));
        Assert.InRange(Loudness.ToDbfs(Loudness.Rms(a.Samples)), refRms - 1.5, refRms + 1.5);
        var at16k = AudioReader.Read(file, new AudioReadOptions { TargetSampleRate = 16000 });
        Assert.Equal(16000, at16k.SampleRate);
    }

    [Fact]
    public void StereoIsMixedByUsLikeAWav()
    {
        var stereo = Encode(".flac", "-af", "pan=stereo|c0=c0|c1=0.5*c0", "-c:a", "flac");
        if (stereo is null) { AssertNotFoundPath(); return; }
        var kept = AudioReader.Read(stereo, new AudioReadOptions { Channels = ChannelMode.Keep });
        Assert.Equal(2, kept.Channels);
        Assert.Equal(2, kept.Source.Channels);
        var mixed = AudioReader.Read(stereo);
        for (int f = 0; f < mixed.Frames; f += 101)
            Assert.Equal((kept.Samples[2 * f] + kept.Samples[2 * f + 1]) * 0.5f, mixed.Samples[f]);
        var right = AudioReader.Read(stereo, new AudioReadOptions { Channels = ChannelMode.Pick, Channel = 1 });
        Assert.Equal(kept.Samples[2 * 500 + 1], right.Samples[500]);
    }

    [Fact]
    public void NonWavStreamIsPipedThroughFfmpeg()
    {
        var flac = Encode(".flac", "-c:a", "flac");
        if (flac is null) { AssertNotFoundPath(); return; }
        var bytes = File.ReadAllBytes(flac);
        var fromPipe = AudioReader.Read(new PipeLikeStream(bytes, 4096), sourceName: "stdin");
        Assert.Equal(AudioReader.Read(WavTestFiles.Espeak16k).Samples, fromPipe.Samples);
        Assert.Equal(fromPipe.Samples, AudioReader.Read(bytes).Samples);
    }

    [Fact]
    public void GarbageIsReportedWithFfmpegsReason()
    {
        var path = Path.Combine(_dir, "noise.mp3");
        var junk = new byte[4000];
        new Random(1).NextBytes(junk);
        junk[0] = (byte)'X';
        File.WriteAllBytes(path, junk);
        var ex = Assert.Throws<AudioFormatException>(() => AudioReader.Read(path));
        Assert.Contains(path, ex.Message);
        if (Available) Assert.Contains("ffmpeg could not decode", ex.Message);
    }

    [Fact]
    public void WithoutFfmpegTheErrorListsBuiltInFormatsAndHowToGetTheRest()
    {
        var ex = Assert.Throws<AudioFormatException>(() =>
            FfmpegDecoder.Decode(null, "talk.mp3", AudioReadOptions.Default, ffmpeg: null, inputArg: "talk.mp3"));
        AssertNotFoundMessage(ex.Message, "talk.mp3");
        Assert.Null(FfmpegDecoder.Locate(""));
        Assert.Null(FfmpegDecoder.Locate(_dir));
    }

    [Fact]
    public void ParsesContainerAndCodecFromTheLog()
    {
        const string log = "Input #0, ogg, from 'x.ogg':\n  Duration: 00:00:03.20\n  Stream #0:0: Audio: vorbis, 16000 Hz, mono, fltp, 80 kb/s\n" +
                           "Output #0, wav, to 'pipe:1':\n  Stream #0:0: Audio: pcm_f32le\n";
        Assert.Equal(("ogg", "vorbis"), FfmpegDecoder.ParseInputDescription(log));
        Assert.Equal(("mov,mp4,m4a,3gp,3g2,mj2", "aac"), FfmpegDecoder.ParseInputDescription(
            "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'a.m4a':\n  Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 16000 Hz\n"));
    }

    private void AssertNotFoundPath()
    {
        var path = Path.Combine(_dir, "x.ogg");
        File.WriteAllBytes(path, "OggS-not-really"u8.ToArray());
        AssertNotFoundMessage(Assert.Throws<AudioFormatException>(() => AudioReader.Read(path)).Message, path);
    }

    private static void AssertNotFoundMessage(string message, string source)
    {
        Assert.Contains(source, message);
        Assert.Contains("ffmpeg was not found", message);
        Assert.Contains("Built in: WAV", message);
        Assert.Contains("apt-get install ffmpeg", message);
        Assert.Contains("MP3, FLAC", message);
    }
}
