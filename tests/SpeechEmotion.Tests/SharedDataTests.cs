namespace SpeechEmotion.Tests;

public class SharedDataTests
{
    [Fact]
    public void SharedFolderHoldsTheReferences()
    {
        Assert.True(File.Exists(SharedData.Path("reference/PEERS.md")));
        Assert.True(Directory.Exists(SharedData.Path("datasets/ravdess-speech-16k")));
    }

    [Fact]
    public void ProblemsReportsEveryProblemAtOnce()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() =>
            new Problems().Require(false, "a is bad").Require(true, "never").Require(false, "b is bad").ThrowIfAny("X"));
        Assert.Equal(["a is bad", "b is bad"], ex.Problems);
        Assert.Contains("a is bad; b is bad", ex.Message);
    }
}
