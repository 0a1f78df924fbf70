using BenchmarkDotNet.Running;

namespace SpeechEmotion.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry: <c>dotnet run -c Release --project bench/SpeechEmotion.Benchmarks -- --filter '*'</c>.
/// End-to-end throughput figures (audio-seconds per second, samples per second) are printed by
/// <c>ser bench ...</c> so that anyone can rerun them side by side with the peers.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["egemaps-stages", .. var rest]) { Egemaps.EgemapsStageProfile.Run(rest); return; }
        if (args is ["egemaps-drift", .. var drift]) { Egemaps.EgemapsDrift.Run(drift); return; }
        if (args is ["nn-profile", .. var nn]) { Nn.NnProfile.Run(nn); return; }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
