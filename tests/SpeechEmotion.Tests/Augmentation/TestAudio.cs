using SpeechEmotion.Augmentation;
using SpeechEmotion.Tests.Features;

namespace SpeechEmotion.Tests.Augmentation;

/// <summary>Real speech for augmentation tests: the espeak clip and a few RAVDESS utterances as training items.</summary>
internal static class TestAudio
{
    private static readonly Lazy<float[]> Espeak = new(() => LibrosaReference.ReadWav16(SharedData.Path("reference/audio/espeak_en_16k.wav")));

    public static float[] Speech => Espeak.Value;

    /// <summary>RAVDESS utterances of actors 01–04 (a few each), as AudioItems with speaker keys.</summary>
    public static IReadOnlyList<AudioItem> Ravdess(int perActor = 3, int actors = 4)
    {
        var list = new List<AudioItem>();
        for (var a = 1; a <= actors; a++)
        {
            var dir = SharedData.Path($"datasets/ravdess-speech-16k/Actor_{a:00}");
            foreach (var f in Directory.GetFiles(dir, "*.wav").Order(StringComparer.Ordinal).Take(perActor))
            {
                var stem = Path.GetFileNameWithoutExtension(f);
                list.Add(new AudioItem
                {
                    Id = $"ravdess:Actor_{a:00}/{stem}", Path = f, Speaker = $"ravdess/{a:00}",
                    Metadata = new Dictionary<string, string> { ["label"] = stem.Split('-')[2], ["speaker"] = $"{a:00}" },
                });
            }
        }
        return list;
    }

    /// <summary>A training part over <paramref name="train"/> with empty held-out parts.</summary>
    public static TrainingPart Part(IEnumerable<AudioItem> train) => TrainingPart.Create("test-fold", train, [], []);
}
