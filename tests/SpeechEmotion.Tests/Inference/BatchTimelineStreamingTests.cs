using System.IO.Pipes;
using System.Xml.Linq;
using SpeechEmotion.Inference;

namespace SpeechEmotion.Tests.Inference;

public sealed class BatchTimelineStreamingTests(TinyModelFixture fx) : IClassFixture<TinyModelFixture>
{
    private static float[] Tone(double seconds, double f0 = 140, int seed = 1) => ModelPackageTests.Tone(16_000, seconds, f0, seed: seed);

    [Fact]
    public void FnvHashAndShardsAreStableAndPartitionEveryFileExactlyOnce()
    {
        Assert.Equal(0xaf63dc4c8601ec8cUL, Shard.Hash("a")); // published FNV-1a 64 test vector
        var names = Enumerable.Range(0, 500).Select(i => $"spk{i % 7}/clip-{i}.wav").ToArray();
        var owners = names.Select(n => Enumerable.Range(0, 4).Where(i => new Shard(i, 4).Contains(n)).ToArray()).ToArray();
        Assert.All(owners, o => Assert.Single(o));
        Assert.All(Enumerable.Range(0, 4), i => Assert.InRange(owners.Count(o => o[0] == i), 90, 160));
        Assert.True(new Shard(1, 4).Contains("./spk1\\clip-1.wav") == new Shard(1, 4).Contains("spk1/clip-1.wav"));
        Assert.Equal(new Shard(2, 5), Shard.Parse("2/5"));
        Assert.Throws<InvalidOptionsException>(() => Shard.Parse("5/5"));
        Assert.Throws<InvalidOptionsException>(() => Shard.Parse("x"));
    }

    [Fact]
    public void InputsExpandFromFilesFoldersAndGlobsWithRelativePaths()
    {
        var root = Path.Combine(fx.Dir, "expand");
        fx.Wav("expand/a/one.wav", Tone(0.3));
        fx.Wav("expand/a/b/two.wav", Tone(0.3));
        File.WriteAllText(Path.Combine(root, "a", "readme.txt"), "x");
        var fromDir = InputFiles.Expand([root], out var none);
        Assert.Empty(none);
        Assert.Equal(["a/b/two.wav", "a/one.wav"], fromDir.Select(f => f.RelativePath));
        var fromGlob = InputFiles.Expand([Path.Combine(root, "**", "*.wav")], out _);
        Assert.Equal(2, fromGlob.Count);
        // A glob's relative paths start below its last wildcard-free folder.
        Assert.Equal(["one.wav"], InputFiles.Expand([Path.Combine(root, "a", "*.wav")], out _).Select(f => f.RelativePath));
        InputFiles.Expand([Path.Combine(root, "missing.wav")], out var unmatched);
        Assert.Single(unmatched);
    }

    [Fact]
    public void BatchWritesOneJsonPerFileSkipsDoneOnesAndReportsBadFilesWithoutStopping()
    {
        var dir = Path.Combine(fx.Dir, "batch");
        for (int i = 0; i < 6; i++) fx.Wav($"batch/in/c{i}.wav", Tone(1.0, 120 + 15 * i, i));
        File.WriteAllText(Path.Combine(dir, "in", "bad.wav"), "not audio");
        fx.Wav("batch/in/silent.wav", new float[16_000]);
        var inputs = InputFiles.Expand([Path.Combine(dir, "in")], out _);
        var outDir = Path.Combine(dir, "out");
        var first = BatchPrediction.Run(fx.Recognizer, inputs, new BatchOptions { OutputDirectory = outDir, Parallelism = 3 });
        Assert.Equal(8, first.Count);
        Assert.Equal(6, first.Count(o => o.Prediction is not null));
        Assert.Contains(first, o => o.Error is not null && o.Error.Contains("bad.wav"));
        Assert.Contains(first, o => o.Error is not null && o.Error.Contains("silent"));
        Assert.Equal(6, Directory.GetFiles(outDir, "*.json").Length);
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "c0.wav.json")))!;
        Assert.Equal(1.0, json["probabilities"]!.AsObject().Sum(kv => kv.Value!.GetValue<double>()), 4);
        // A second run does only what is missing; shards of the same inputs are disjoint and cover everything.
        var second = BatchPrediction.Run(fx.Recognizer, inputs, new BatchOptions { OutputDirectory = outDir });
        Assert.Equal(6, second.Count(o => o.Skipped));
        var sharded = Enumerable.Range(0, 3).SelectMany(i => BatchPrediction.Run(fx.Recognizer, inputs, new BatchOptions { Shard = new Shard(i, 3) })).ToArray();
        Assert.Equal(inputs.Select(i => i.RelativePath).Order(), sharded.Select(o => o.Input.RelativePath).Order());
    }

    /// <summary>Speech-like bursts at known times separated by near-silence.</summary>
    private static float[] Bursts(out (double Start, double End)[] truth)
    {
        truth = [(1.0, 3.5), (5.0, 9.0), (11.0, 12.0)];
        var x = new float[16_000 * 14];
        var rng = new Random(2);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.0005 * (rng.NextDouble() - 0.5));
        foreach (var (s, e) in truth)
        {
            var tone = Tone(e - s, 150, (int)s);
            tone.CopyTo(x.AsSpan((int)(s * 16_000)));
        }
        return x;
    }

    [Fact]
    public void VoiceActivityFindsTheBursts()
    {
        var x = Bursts(out var truth);
        var segs = VoiceActivity.Detect(x, 16_000);
        Assert.Equal(truth.Length, segs.Count);
        for (int i = 0; i < truth.Length; i++)
        {
            Assert.InRange(segs[i].Start, truth[i].Start - 0.15, truth[i].Start + 0.05);
            Assert.InRange(segs[i].End, truth[i].End - 0.05, truth[i].End + 0.15);
        }
        Assert.DoesNotContain(VoiceActivity.Detect(new float[16_000], 16_000), s => s.Length > 0.3);
    }

    [Fact]
    public void TimelineWindowsLieInSegmentsAndPlotsAreWellFormed()
    {
        var x = Bursts(out _);
        var r = Timeline.Analyze(fx.Recognizer, x, "bursts.wav", new TimelineOptions { WindowSeconds = 2, HopSeconds = 0.5, Smoothing = 3 });
        Assert.Equal(3, r.Segments.Count);
        Assert.Equal(14.0, r.Duration, 3);
        Assert.NotEmpty(r.Windows);
        foreach (var w in r.Windows)
        {
            var seg = VoiceActivity.Detect(x, 16_000)[w.Segment];
            Assert.InRange(w.Start, seg.Start - 1e-6, seg.End);
            Assert.InRange(w.End, w.Start, seg.End + 1e-6);
            Assert.Equal(1.0, w.Smoothed.Sum(), 4);
            Assert.Equal(1.0, w.Raw.Sum(), 4);
        }
        // The 4-s segment holds windows at 0.5-s hops; smoothing is a mean of up to three neighbours of the segment.
        var mid = r.Windows.Where(w => w.Segment == 1).ToArray();
        Assert.True(mid.Length >= 4);
        for (int k = 0; k < 3; k++) Assert.Equal((mid[0].Raw[k] + mid[1].Raw[k] + mid[2].Raw[k]) / 3, mid[1].Smoothed[k], 5);
        var svg = XDocument.Parse(TimelinePlot.ToSvg(r));
        Assert.Equal(3, svg.Descendants().Count(e => e.Name.LocalName == "polyline"));
        var html = TimelinePlot.ToHtml(r);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(r.Windows.Count + 1, r.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void StreamingEmitsEveryHopWithTimestampsAndMatchesAWholeWindowPrediction()
    {
        var x = Tone(5.0);
        var pcm = new byte[x.Length * 2];
        for (int i = 0; i < x.Length; i++) BitConverter.TryWriteBytes(pcm.AsSpan(2 * i), (short)Math.Round(x[i] * 32767));
        var s = new StreamingRecognizer(fx.Recognizer, new StreamingOptions { WindowSeconds = 2, HopSeconds = 0.5, MinSeconds = 1, Smoothing = 0 });
        var rng = new Random(4);
        var results = new List<StreamingResult>();
        for (int pos = 0; pos < pcm.Length;)
        {
            int n = Math.Min(pcm.Length - pos, rng.Next(1, 3001)); // odd sizes split samples between chunks
            results.AddRange(s.PushPcm16(pcm.AsSpan(pos, n)));
            pos += n;
        }
        Assert.Equal([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0], results.Select(r => Math.Round(r.End, 6)));
        Assert.Equal(0.0, results[0].Start, 6);
        Assert.Equal(3.0, results[^1].Start, 6);
        var quantised = pcm.Chunk(2).Select(b => BitConverter.ToInt16(b) / 32768f).ToArray();
        var direct = fx.Recognizer.Recognize(quantised.AsSpan(3 * 16_000, 2 * 16_000), 16_000);
        for (int k = 0; k < 3; k++) Assert.Equal(direct.Probabilities[k], results[^1].Prediction!.Probabilities[k], 5);
        // Silence yields results flagged silent rather than errors.
        var quiet = new StreamingRecognizer(fx.Recognizer, new StreamingOptions { WindowSeconds = 1, HopSeconds = 0.5, MinSeconds = 0.5 });
        Assert.All(quiet.Push(new float[16_000]), r => Assert.True(r.Silent));
    }

    [Fact]
    public async Task LiveReaderAnswersEachHopBeforeTheNextAudioIsWritten()
    {
        // Latency check without timings: the writer sends one hop of PCM and then waits for that hop's result;
        // a reader that buffered until more audio (or the end) arrived would never answer and the wait would fail.
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var got = new System.Collections.Concurrent.BlockingCollection<StreamingResult>();
        var options = new StreamingOptions { WindowSeconds = 1, HopSeconds = 0.25, MinSeconds = 0.25, InputSampleRate = 16_000 };
        var reader = Task.Run(() => LiveAudio.Run(client, fx.Recognizer, options, 1, got.Add));
        var x = Tone(2.0);
        int hop = 4000;
        for (int h = 0; h < x.Length / hop; h++)
        {
            var bytes = new byte[hop * 2];
            for (int i = 0; i < hop; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (short)(x[h * hop + i] * 32767));
            server.Write(bytes);
            server.Flush();
            Assert.True(got.TryTake(out var r, TimeSpan.FromSeconds(20)), $"no result for hop {h} while the stream stayed open");
            Assert.Equal((h + 1) * 0.25, r!.End, 6);
            Assert.False(r.Silent);
        }
        server.Dispose();
        Assert.Equal(2.0, await reader.WaitAsync(TimeSpan.FromSeconds(20)), 6);
    }

    [Fact]
    public void LiveReaderTakesAWavStreamAtItsOwnRate()
    {
        var x = ModelPackageTests.Tone(8_000, 2.0);
        var wav = Path.Combine(fx.Dir, "live8k.wav");
        SpeechEmotion.Audio.WavWriter.Write(wav, x, 8_000, SpeechEmotion.Audio.WavSampleFormat.Pcm16);
        using var f = File.OpenRead(wav);
        var results = new List<StreamingResult>();
        double seconds = LiveAudio.Run(f, fx.Recognizer, new StreamingOptions { HopSeconds = 0.5, WindowSeconds = 1, MinSeconds = 0.5 }, 1, results.Add);
        Assert.InRange(seconds, 1.95, 2.05);
        Assert.InRange(results.Count, 3, 4);
        Assert.All(results, r => Assert.Equal(1.0, r.Prediction!.Probabilities.Sum(), 4));
    }
}
