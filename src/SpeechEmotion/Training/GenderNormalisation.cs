using SpeechEmotion.Corpora;
using SpeechEmotion.Features;
using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Training;

/// <summary>The utterance-level features of one fold after gender-conditioned standardisation.</summary>
/// <param name="Features">Standardised features of the fold's training, validation and test utterances, by path.</param>
/// <param name="TestGenderAccuracy">Share of test utterances (with documented gender) whose predicted gender was right,
/// in [0, 1]; NaN when none is documented. Reported only: the metadata never reaches the model.</param>
public sealed record GenderNormalised(IReadOnlyDictionary<string, FeatureMatrix> Features, double TestGenderAccuracy);

/// <summary>
/// Gender-conditioned standardisation, strictly inductive: a logistic regression fitted on the training
/// speakers' utterances (their documented gender) predicts the gender of every validation and test utterance
/// from that utterance's own features; each utterance is then standardised with the mean and standard deviation
/// of the training utterances of its gender (documented for training, predicted otherwise). Nothing computed
/// from validation or test audio other than the utterance itself is used.
/// </summary>
public static class GenderNormalisation
{
    /// <summary>Applies the standardisation to <paramref name="fold"/>.</summary>
    /// <exception cref="InvalidOptionsException">Frame-level features, or a training part without both genders.</exception>
    public static GenderNormalised Apply(Split fold, IReadOnlyDictionary<string, FeatureMatrix> features)
    {
        var train = fold.Train.Where(u => u.Gender is Gender.Male or Gender.Female).DistinctBy(u => u.Path).ToArray();
        var problems = new Problems();
        problems.Require(features.Values.All(m => m.Frames == 1), "gender_normalise needs utterance-level (one-frame) features");
        problems.Require(train.Any(u => u.Gender == Gender.Male) && train.Any(u => u.Gender == Gender.Female),
            $"gender_normalise needs training utterances of both documented genders in {fold.Name}");
        problems.ThrowIfAny("features.gender_normalise");
        int d = features[train[0].Path].Features;
        var (mean, std) = Stats(train.Select(u => features[u.Path]).ToArray(), d);
        var x = new float[train.Length * d];
        for (int i = 0; i < train.Length; i++) Standardise(features[train[i].Path].Data, mean, std, x.AsSpan(i * d, d));
        var classifier = new LogisticRegression(new LogisticRegressionOptions { C = 0.1 });
        classifier.Fit(x, d, train.Select(u => u.Gender == Gender.Female ? 1 : 0).ToArray(), 2);
        var byGender = new[] { Gender.Male, Gender.Female }
            .Select(g => Stats(train.Where(u => u.Gender == g).Select(u => features[u.Path]).ToArray(), d)).ToArray();
        var result = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        var row = new float[d];
        int right = 0, documented = 0;
        var trainPaths = train.Select(u => u.Path).ToHashSet(StringComparer.Ordinal);
        var testPaths = fold.Test.Select(u => u.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var u in fold.Train.Concat(fold.Validation).Concat(fold.Test).DistinctBy(u => u.Path))
        {
            var m = features[u.Path];
            int g;
            if (trainPaths.Contains(u.Path)) g = u.Gender == Gender.Female ? 1 : 0;
            else
            {
                Standardise(m.Data, mean, std, row);
                g = classifier.Predict(row)[0];
                if (testPaths.Contains(u.Path) && u.Gender is Gender.Male or Gender.Female)
                {
                    documented++;
                    if (g == (u.Gender == Gender.Female ? 1 : 0)) right++;
                }
            }
            var data = new float[d];
            Standardise(m.Data, byGender[g].Mean, byGender[g].Std, data);
            result[u.Path] = new FeatureMatrix(1, d, data, m.FeatureNames);
        }
        return new GenderNormalised(result, documented > 0 ? (double)right / documented : double.NaN);
    }

    private static (double[] Mean, double[] Std) Stats(FeatureMatrix[] rows, int d)
    {
        var mean = new double[d]; var sq = new double[d];
        foreach (var m in rows)
            for (int j = 0; j < d; j++) { mean[j] += m.Data[j]; sq[j] += (double)m.Data[j] * m.Data[j]; }
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] /= rows.Length;
            var s = Math.Sqrt(Math.Max(0, sq[j] / rows.Length - mean[j] * mean[j]));
            std[j] = s > 1e-8 ? s : 1;
        }
        return (mean, std);
    }

    private static void Standardise(ReadOnlySpan<float> x, double[] mean, double[] std, Span<float> dst)
    {
        for (int j = 0; j < dst.Length; j++) dst[j] = (float)((x[j] - mean[j]) / std[j]);
    }
}
