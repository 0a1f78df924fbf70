using SpeechEmotion.Models.Classical;

namespace SpeechEmotion.Tests.Classical;

public class ModelFileTests
{
    public static TheoryData<string> Models => new() { "svm-ovo", "svm-ovr", "logistic", "knn" };

    private static IClassifier Make(string name) => name switch
    {
        "svm-ovo" => new Svm(new SvmOptions { C = 2, ProbabilityFolds = 3 }),
        "svm-ovr" => new Svm(new SvmOptions { Kernel = KernelKind.Linear, MultiClass = MultiClassStrategy.OneVsRest }),
        "logistic" => new LogisticRegression(new LogisticRegressionOptions { C = 0.5 }),
        _ => new KNearestNeighbours(new KNearestNeighboursOptions { K = 4, Metric = DistanceMetric.Cosine, Weighting = NeighbourWeighting.Distance }),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void SavedModelPredictsBitIdentically(string name)
    {
        double[][] centres = [[3, 1, 0, 0], [0, 3, 1, 0], [1, 0, 3, 5]];
        var (x, y) = TestData.Blobs(61, 25, 1.0, centres);
        // Class 3 has no training sample: the file must keep that knowledge.
        var pipeline = new ClassicalPipeline(Make(name), classNames: ["a", "b", "c", "d"], featureSet: "{\"name\":\"test\"}")
            .Fit(x, 4, y, 4, classWeights: [1f, 2f, 1f, 1f]);
        var path = Path.Combine(Path.GetTempPath(), $"ser-classical-{name}-{Environment.ProcessId}.json");
        try
        {
            ClassicalModelFile.Save(path, pipeline);
            var loaded = ClassicalModelFile.Load(path);
            var (q, _) = TestData.Blobs(62, 10, 1.5, centres);
            Assert.Equal(pipeline.Predict(q), loaded.Predict(q));
            Assert.Equal(pipeline.PredictProba(q), loaded.PredictProba(q));
            Assert.Equal(pipeline.DecisionFunction(q), loaded.DecisionFunction(q));
            Assert.Equal(["a", "b", "c", "d"], loaded.ClassNames);
            Assert.Equal("{\"name\":\"test\"}", loaded.FeatureSet);
            Assert.Equal(pipeline.Scaler!.Mean, loaded.Scaler!.Mean);
            // Determinism: refitting gives the same file byte for byte.
            var again = new ClassicalPipeline(Make(name), classNames: ["a", "b", "c", "d"], featureSet: "{\"name\":\"test\"}")
                .Fit(x, 4, y, 4, classWeights: [1f, 2f, 1f, 1f]);
            Assert.Equal(File.ReadAllText(path), ClassicalModelFile.ToJson(again));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BrokenFilesRaiseModelFormatException()
    {
        var (x, y) = TestData.Blobs(63, 10, 1.0, [1, 0], [0, 1]);
        var json = ClassicalModelFile.ToJson(new ClassicalPipeline(new Svm()).Fit(x, 2, y, 2));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.FromJson("{ not json"));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.FromJson(json.Replace("\"version\":1", "\"version\":99")));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.FromJson(json.Replace("speechemotion-classical", "other")));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.FromJson(json.Replace("\"classes\":2", "\"classes\":5")));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.FromJson(json.Replace("\"kind\":\"svm\"", "\"kind\":\"forest\"")));
        Assert.Throws<ModelFormatException>(() => ClassicalModelFile.Load("/nonexistent/model.json"));
        Assert.Throws<ClassifierInputException>(() => ClassicalModelFile.ToJson(new ClassicalPipeline(new Svm())));
    }
}
