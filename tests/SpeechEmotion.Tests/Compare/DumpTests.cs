using SpeechEmotion.Audio;
using SpeechEmotion.Features.Compare;
using SpeechEmotion.Tests.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Compare;

public sealed class DumpTests(ITestOutputHelper output)
{
    [Fact]
    public void Dump()
    {
        var col = Environment.GetEnvironmentVariable("SER_DUMP");
        if (col is null) return;
        var clip = "espeak_en";
        var audio = AudioReader.Read(SharedData.Path($"reference/audio/{clip}_16k.wav"));
        var lld = new CompareLldExtractor().Extract(audio.Samples, audio.SampleRate, out int frames);
        var reference = OpensmileCsv.Read(SharedData.Path($"reference/opensmile/{clip}.compare16_lld.csv"));
        foreach (var name in col.Split(','))
        {
            int c = CompareNames.Llds.ToList().IndexOf(name);
            for (int t = 0; t < frames; t += 7) output.WriteLine($"{name} {t} ours {lld[t * 130 + c]:G5} ref {reference.Rows[t][c]:G5}");
        }
    }
}
