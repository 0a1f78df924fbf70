using SpeechEmotion.Audio;
using SpeechEmotion.Features;
using SpeechEmotion.Features.Compare;

namespace SpeechEmotion.Tests.Compare;

/// <summary>The registered sets "compare16" and "compare16-lld": names, shapes, JSON round trip, bad input.</summary>
public sealed class CompareFeatureSetTests
{
    [Fact]
    public void SetsAreRegisteredAndShapedAsOpensmile()
    {
        Assert.Contains(CompareFeatureSets.FunctionalsName, FeatureSets.Names);
        Assert.Contains(CompareFeatureSets.LldName, FeatureSets.Names);
        var audio = AudioReader.Read(SharedData.Path("reference/audio/espeak_en_16k.wav"));
        var func = FeatureSets.Create("compare16").Extract(audio.Samples, audio.SampleRate);
        Assert.Equal(1, func.Frames);
        Assert.Equal(6373, func.Features);
        Assert.Equal(CompareNames.Functionals, func.FeatureNames);
        Assert.All(func.Data, v => Assert.True(float.IsFinite(v)));
        var lld = FeatureSets.Create("compare16-lld").Extract(audio.Samples, audio.SampleRate);
        Assert.Equal(130, lld.Features);
        Assert.Equal(316, lld.Frames); // as many rows as openSMILE's LLD output for this clip
        Assert.Equal(CompareNames.Llds, lld.FeatureNames);
    }

    [Fact]
    public void JsonRoundTripsAndBadInputIsRejected()
    {
        var set = FeatureSets.Create("compare16");
        var again = FeatureSets.FromJson(set.ToJson());
        Assert.Equal(set.ToJson(), again.ToJson());
        Assert.Throws<InvalidOptionsException>(() => set.Extract(new float[16000], 22050));
        Assert.Throws<InvalidOptionsException>(() => FeatureSets.Create("compare16", new Dictionary<string, string> { ["sample_rate"] = "100" }));
        // Shorter than one pitch frame: no LLD rows, functionals all zero rather than a crash.
        var tiny = set.Extract(new float[100], 16000);
        Assert.Equal(6373, tiny.Features);
        Assert.All(tiny.Data, v => Assert.True(float.IsFinite(v)));
    }
}
