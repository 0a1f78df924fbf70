using SpeechEmotion.Audio;
using SpeechEmotion.Features.Egemaps;
using Xunit.Abstractions;

namespace SpeechEmotion.Tests.Egemaps;

public sealed class ClipDebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Clip()
    {
        var clip = Environment.GetEnvironmentVariable("SER_CLIP");
        if (clip is null) return;
        var reference = OpensmileCsv.Read(SharedData.Path("reference/opensmile/egemaps_v02_functionals_datasets.csv"));
        int i = reference.Names.IndexOf(clip);
        var x = AudioReader.Read(SharedData.Path(clip)).Samples;
        var ours = new EgemapsExtractor().ExtractFunctionals(x, 16000);
        for (int f = 0; f < 88; f++) output.WriteLine($"{EgemapsNames.Functionals[f],-46} {ours[f],12:G6} {reference.Rows[i][f],12:G6}");
    }
}
