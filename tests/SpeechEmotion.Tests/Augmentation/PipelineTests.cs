using System.Collections.Concurrent;
using SpeechEmotion.Augmentation;
using SpeechEmotion.Dsp;

namespace SpeechEmotion.Tests.Augmentation;

public class PipelineTests
{
    private static AugmentationPipelineOptions Everything(ulong seed) => new()
    {
        Seed = seed,
        Waveform =
        [
            new SpeedOptions { Probability = 1 },
            new PitchShiftOptions { Probability = 1, Semitones = new(-1, 1) },
            new TimeStretchOptions { Probability = 1, Rate = new(0.9, 1.1) },
            new TimeShiftOptions { Probability = 1 },
            new ReverbOptions { Probability = 1 },
            new NoiseOptions { Probability = 1, Kinds = [NoiseKind.Pink, NoiseKind.Babble] },
            new TelephoneOptions { Probability = 1 },
            new ClippingOptions { Probability = 1 },
            new GainOptions { Probability = 1 },
        ],
        SpecAugment = new SpecAugmentOptions(),
    };

    [Fact]
    public void Same_seed_epoch_and_id_give_the_same_output_and_others_differ()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 4);
        var part = TestAudio.Part(items);
        var p1 = new AugmentationPipeline(Everything(42), part);
        var p2 = new AugmentationPipeline(Everything(42), TestAudio.Part(items.Reverse()));
        var a = p1.Apply(items[0].Id, 0, 16000);
        var b = p2.Apply(items[0].Id, 0, 16000);
        Assert.Equal(a.Samples, b.Samples);
        Assert.Equal(a.Description, b.Description);
        Assert.Equal(9, a.Applied.Count);
        var otherEpoch = p1.Apply(items[0].Id, 1, 16000);
        Assert.NotEqual(a.Description, otherEpoch.Description);
        var otherSeed = new AugmentationPipeline(Everything(43), part).Apply(items[0].Id, 0, 16000);
        Assert.NotEqual(a.Description, otherSeed.Description);
        // Two different utterances given the same audio still draw different parameters.
        var clean = items[0].Load(16000);
        var x = p1.Apply(items[1].Id, clean, 16000, 0);
        var y = p1.Apply(items[2].Id, clean, 16000, 0);
        Assert.NotEqual(x.Description, y.Description);
        Assert.NotEqual(x.Samples, y.Samples);
    }

    [Fact]
    public void Results_do_not_depend_on_thread_scheduling()
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 3);
        var options = AugmentationRecipes.Default with { Seed = 5 };
        var pipeline = new AugmentationPipeline(options, TestAudio.Part(items));
        var audio = items.Select(i => i.Load(16000)).ToArray();
        var sequential = new List<float[]>();
        for (var e = 0; e < 2; e++) for (var i = 0; i < items.Count; i++) sequential.Add(pipeline.Apply(items[i].Id, audio[i], 16000, e).Samples);
        var parallel = new ConcurrentDictionary<int, float[]>();
        Parallel.For(0, 2 * items.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, j =>
        {
            // Reverse order and interleave epochs.
            var k = 2 * items.Count - 1 - j;
            parallel[k] = pipeline.Apply(items[k % items.Count].Id, audio[k % items.Count], 16000, k / items.Count).Samples;
        });
        for (var k = 0; k < sequential.Count; k++) Assert.Equal(sequential[k], parallel[k]);
    }

    [Fact]
    public void Adding_a_transform_leaves_the_draws_of_the_others_unchanged()
    {
        var items = TestAudio.Ravdess(perActor: 1, actors: 2);
        var part = TestAudio.Part(items);
        var one = new AugmentationPipelineOptions { Seed = 1, Waveform = [new GainOptions { Probability = 1 }] };
        var two = one with { Waveform = [new GainOptions { Probability = 1 }, new TimeShiftOptions { Probability = 0 }] };
        var a = new AugmentationPipeline(one, part).Apply(items[0].Id, 3, 16000);
        var b = new AugmentationPipeline(two, part).Apply(items[0].Id, 3, 16000);
        Assert.Equal(a.Samples, b.Samples);
    }

    [Fact]
    public void Validation_and_test_utterances_are_refused()
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 3);
        var train = items.Take(4).ToList();
        var test = items.Skip(4).ToList();
        var part = TrainingPart.Create("fold1", train, [], test);
        var pipeline = new AugmentationPipeline(AugmentationRecipes.Default, part);
        var ex = Assert.Throws<AugmentationLeakageException>(() => pipeline.Apply(test[0].Id, 0, 16000));
        Assert.Contains(test[0].Id, ex.Message);
        Assert.Throws<AugmentationLeakageException>(() => pipeline.ApplyFeatures(test[0].Id, 0, new float[10], 5, 2));
        Assert.Throws<AugmentationLeakageException>(() => pipeline.MixBatch([train[0].Id, test[1].Id], 0, 0, new float[4], new float[4], new float[4], new float[4], new int[2]));
        // A training list that holds a test utterance, or a copy of one, cannot even be declared.
        Assert.Throws<AugmentationLeakageException>(() => TrainingPart.Create("bad", [.. train, test[0]], [], test));
        var copy = new AudioItem { Id = test[1].Id + "#aug0", Path = test[1].Path, SourceUtterance = test[1].Id };
        var leak = Assert.Throws<AugmentationLeakageException>(() => TrainingPart.Create("bad", [.. train, copy], test, []));
        Assert.Contains("copy of", leak.Message);
        // Babble is made of training utterances only.
        Assert.Equal(4, pipeline.Training.Babble.Count);
    }

    [Fact]
    public void Transforms_never_produce_nan_or_leave_the_unit_range()
    {
        // Property test over random signals (noise, silence, DC, full-scale square, chirps) and random parameter draws.
        var items = TestAudio.Ravdess(perActor: 1, actors: 3);
        var transforms = Everything(0).Waveform.Select(t => t with { Probability = 1 }).ToList();
        transforms.Add(new GainOptions { Probability = 1, GainDb = new(20, 40), AllowClipping = true });
        transforms.Add(new GainOptions { Probability = 1, GainDb = new(20, 40) });
        transforms.Add(new NoiseOptions { Probability = 1, Kinds = [NoiseKind.White, NoiseKind.Brown], SnrDb = new(-20, -10) });
        transforms.Add(new TimeShiftOptions { Probability = 1, Circular = true, ShiftSeconds = new(-5, 5) });
        var gen = new AugmentationRandom(2024);
        for (var trial = 0; trial < 60; trial++)
        {
            var n = 1 + gen.NextInt(12000);
            var y = new float[n];
            var shape = trial % 5;
            var amp = (float)gen.Uniform(0, 1);
            for (var i = 0; i < n; i++)
                y[i] = shape switch
                {
                    0 => (float)Math.Clamp(gen.NextGaussian() * amp, -1, 1),
                    1 => 0f,
                    2 => amp,
                    3 => (i / 37) % 2 == 0 ? 1f : -1f,
                    _ => (float)(amp * Math.Sin(0.0001 * i * i)),
                };
            var t = transforms[trial % transforms.Count];
            var options = new AugmentationPipelineOptions { Seed = (ulong)trial, Waveform = [t] };
            var r = new AugmentationPipeline(options, TestAudio.Part(items)).Apply(items[trial % items.Count].Id, y, 16000, trial);
            Assert.All(r.Samples, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 1f, $"{t.Type} on shape {shape}, n={n}: {v}"));
        }
        var nan = new float[100];
        nan[50] = float.NaN;
        var p = new AugmentationPipeline(AugmentationRecipes.Default, TestAudio.Part(items));
        Assert.Throws<InvalidSignalException>(() => p.Apply(items[0].Id, nan, 16000, 0));
    }

    [Fact]
    public void Default_recipe_runs_on_real_speech()
    {
        var items = TestAudio.Ravdess(perActor: 2, actors: 2);
        var pipeline = new AugmentationPipeline(AugmentationRecipes.Default, TestAudio.Part(items));
        var fired = 0;
        for (var e = 0; e < 5; e++)
            foreach (var it in items)
            {
                var r = pipeline.Apply(it.Id, e, 16000);
                fired += r.Applied.Count;
                Assert.All(r.Samples, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= 1f));
            }
        Assert.InRange(fired, 20, 80); // expected ≈ 1.9 transforms per draw × 20 draws
    }
}
