using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Features.Egemaps;

namespace SpeechEmotion.Tests.Egemaps;

/// <summary>Registry integration, shapes, JSON round trip and bad-input behaviour of the eGeMAPS sets.</summary>
public sealed class EgemapsFeatureSetTests
{
    private static float[] Speech() => AudioReader.Read(SharedData.Path("reference/audio/espeak_en_16k.wav")).Samples;

    [Fact]
    public void SetsAreRegisteredAndShapedAsOpenSmile()
    {
        Assert.Contains(EgemapsFeatureSets.FunctionalsName, FeatureSets.Names);
        Assert.Contains(EgemapsFeatureSets.LldName, FeatureSets.Names);
        var x = Speech();
        var func = FeatureSets.Create("egemaps-v02").Extract(x, 16000);
        Assert.Equal(1, func.Frames);
        Assert.Equal(88, func.Features);
        Assert.Equal("F0semitoneFrom27.5Hz_sma3nz_amean", func.FeatureNames[0]);
        Assert.Equal("equivalentSoundLevel_dBp", func.FeatureNames[87]);
        var lld = FeatureSets.Create("egemaps-v02-lld").Extract(x, 16000);
        Assert.Equal(25, lld.Features);
        Assert.Equal(316, lld.Frames); // openSMILE's LLD CSV for this clip has 316 rows
        Assert.Equal("Loudness_sma3", lld.FeatureNames[0]);
    }

    [Fact]
    public void JsonRoundTripRebuildsTheSameSet()
    {
        var set = FeatureSets.Create("egemaps-v02", new Dictionary<string, string> { ["sample_rate"] = "16000" });
        var again = FeatureSets.FromJson(set.ToJson());
        Assert.Equal(set.ToJson(), again.ToJson());
        Assert.Equal("egemaps-v02", again.Name);
        var x = Speech();
        Assert.Equal(set.Extract(x, 16000).Data, again.Extract(x, 16000).Data);
    }

    [Fact]
    public void InvalidParametersAndRatesAreReportedTogether()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() =>
            FeatureSets.Create("egemaps-v02", new Dictionary<string, string> { ["sample_rate"] = "100", ["bogus"] = "1" }));
        Assert.True(ex.Problems.Count >= 2);
        var set = FeatureSets.Create("egemaps-v02");
        Assert.Throws<InvalidOptionsException>(() => set.Extract(new float[16000], 22050));
        Assert.ThrowsAny<SpeechEmotionException>(() => set.Extract(ReadOnlySpan<float>.Empty, 16000));
    }

    public static TheoryData<string> BadInputs => ["silence", "noise", "shorter-than-window", "shorter-than-pitch-window", "clipped"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputGivesFiniteValues(string kind)
    {
        var rng = new Random(1234);
        float[] x = kind switch
        {
            "silence" => new float[16000],
            "noise" => Enumerable.Range(0, 16000).Select(_ => (float)(rng.NextDouble() * 2 - 1) * 0.5f).ToArray(),
            "shorter-than-window" => Speech().AsSpan(8000, 200).ToArray(),
            "shorter-than-pitch-window" => Speech().AsSpan(8000, 700).ToArray(),
            "clipped" => Speech().Select(v => Math.Clamp(v * 30f, -1f, 1f)).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var func = FeatureSets.Create("egemaps-v02").Extract(x, 16000);
        var lld = FeatureSets.Create("egemaps-v02-lld").Extract(x, 16000);
        Assert.All(func.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(lld.Data, v => Assert.True(float.IsFinite(v)));
        if (kind is "silence" or "shorter-than-window")
        {
            // Unvoiced-only input: all voice functionals are 0, as openSMILE writes them.
            for (int i = 0; i < 10; i++) Assert.Equal(0f, func.Data[i]);
            Assert.Equal(0f, func.Data[EgemapsNames.Functionals.ToList().IndexOf("VoicedSegmentsPerSec")]);
        }
    }
}
