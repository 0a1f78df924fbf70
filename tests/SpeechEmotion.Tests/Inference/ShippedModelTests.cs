using SpeechEmotion.Inference;

namespace SpeechEmotion.Tests.Inference;

public sealed class ShippedModelTests
{
    [Fact]
    public void DefaultModelGivesFiniteNormalisedProbabilitiesOnTheSampleClips()
    {
        var model = DefaultModel.Find();
        if (model is null) return; // a checkout without the shipped model
        var samples = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(model)!)!, "samples");
        var r = EmotionRecognizer.Load(model);
        Assert.Equal(["neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"], r.Labels);
        Assert.Equal("CC BY-NC-SA 4.0", r.Manifest.Licence[..15]);
        Assert.InRange(r.Manifest.Metrics["cv_ua"], 0.3, 1.0);
        var clips = Directory.GetFiles(samples, "*.wav").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(clips);
        foreach (var clip in clips)
        {
            var p = r.Recognize(clip);
            Assert.All(p.Probabilities, v => Assert.True(float.IsFinite(v) && v >= 0 && v <= 1));
            Assert.Equal(1.0, p.Probabilities.Sum(), 4);
        }
        // Actor 03 is in the held-out test part of the fold the default model was trained on.
        Assert.Equal("angry", r.Recognize(Path.Combine(samples, "angry-actor03.wav")).Label);
    }
}
