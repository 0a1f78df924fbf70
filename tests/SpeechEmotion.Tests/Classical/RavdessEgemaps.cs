using System.Globalization;
using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

/// <summary>
/// openSMILE's eGeMAPS v02 functionals of RAVDESS actors 01–20 from
/// <c>shared/reference/opensmile/egemaps_v02_functionals_datasets.csv</c>: label = emotion code of the
/// file name − 1 (0 neutral, 1 calm, 2 happy, 3 sad, 4 angry, 5 fearful, 6 disgust, 7 surprised),
/// actor = the file name's last field. Outer folds: <see cref="SpeechEmotion.Corpora.Protocols.Ravdess5FoldOfActor"/>.
/// </summary>
public sealed record RavdessEgemaps(float[] X, int D, int[] Y, int[] Actors, string[] Names, string[] FeatureNames)
{
    public const int Classes = 8;

    public static readonly string[] ClassNames = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];

    public int Count => Y.Length;

    public static RavdessEgemaps Load()
    {
        var path = SharedData.Path("reference/opensmile/egemaps_v02_functionals_datasets.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(';');
        // Columns: name; frameTime; 88 functionals.
        var featureNames = header.Skip(2).ToArray();
        var d = featureNames.Length;
        var x = new List<float>();
        var y = new List<int>();
        var actors = new List<int>();
        var names = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(';');
            var name = fields[0].Trim('\'');
            if (!name.Contains("ravdess", StringComparison.OrdinalIgnoreCase)) continue;
            var parts = Path.GetFileNameWithoutExtension(name).Split('-');
            var actor = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (actor is < 1 or > 20) continue;
            y.Add(int.Parse(parts[2], CultureInfo.InvariantCulture) - 1);
            actors.Add(actor);
            names.Add(name);
            for (var j = 0; j < d; j++) x.Add(float.Parse(fields[2 + j], CultureInfo.InvariantCulture));
        }
        return new RavdessEgemaps(x.ToArray(), d, y.ToArray(), actors.ToArray(), names.ToArray(), featureNames);
    }
}
