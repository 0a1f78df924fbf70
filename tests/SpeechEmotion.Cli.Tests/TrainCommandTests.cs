namespace SpeechEmotion.Cli.Tests;

public class TrainCommandTests
{
    [Fact]
    public void BadExperimentFailsBeforeTrainingWithEveryProblemAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ser-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "name: bad\nepochs: 3\ncorpora: []\nfeatures: { set: lld }\nmodel: { architecture: resnet }\n");
        try
        {
            foreach (var cmd in new[] { "train", "cv", "evaluate" })
            {
                var (code, _, err) = CliRunner.Run(cmd, path);
                Assert.Equal(3, code);
                Assert.Contains("line 2", err);
                Assert.Contains("epochs", err);
                Assert.Contains("corpora", err);
                Assert.Contains("resnet", err);
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MissingConfigIsBadInputAndUsageErrorsAreUsage()
    {
        var (code, _, err) = CliRunner.Run("train", "/no/such/experiment.yaml");
        Assert.Equal(3, code);
        Assert.Contains("/no/such/experiment.yaml", err);
        Assert.Equal(2, CliRunner.Run("train").Code);
        Assert.Equal(2, CliRunner.Run("cv", "a.yaml", "--no-such-option").Code);
    }

    [Fact]
    public void EvaluateWithoutTrainedModelsSaysWhatToRun()
    {
        var root = FindRepo();
        var outDir = Directory.CreateTempSubdirectory("ser-eval-").FullName;
        try
        {
            var (code, _, err) = CliRunner.Run("evaluate", Path.Combine(root, "experiments", "ci-fast.yaml"), "-o", outDir);
            Assert.Equal(3, code);
            Assert.Contains("ser cv", err);
        }
        finally { Directory.Delete(outDir, true); }
    }

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SpeechEmotion.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root");
    }
}
