using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>Bidirectional LSTM/GRU with sequence lengths: a padded batch gives exactly what each
/// sample gives run alone unpadded (outputs, input gradients, summed parameter gradients); padded
/// steps output zeros and pass no gradient.</summary>
[Collection("Nn")]
public class RecurrentLengthsTests
{
    [Theory]
    [InlineData(RecurrentKind.Lstm, true)]
    [InlineData(RecurrentKind.Lstm, false)]
    [InlineData(RecurrentKind.Gru, true)]
    [InlineData(RecurrentKind.Gru, false)]
    public void PaddedBatchEqualsEachSampleAlone(RecurrentKind kind, bool sequences)
    {
        const int t = 6, f = 4, h = 3;
        int[] lengths = [6, 3, 1, 4];
        int b = lengths.Length, outW = 2 * h;
        var rnn = new Recurrent(kind, f, h, layers: 2, bidirectional: true, returnSequences: sequences, seed: 5);
        var x = GradCheck.Random(1, 1f, b, t, f); // padded steps hold garbage on purpose
        var up = GradCheck.Random(2, 1f, sequences ? [b, t, outW] : [b, outW]);
        var ps = rnn.Parameters().ToArray();

        foreach (var p in ps) p.Grad = null;
        x.RequiresGrad = true; x.Grad = null;
        var yOut = rnn.Forward(x, lengths);
        var y = yOut.Clone();
        Autograd.Backward(yOut, up);
        var padGrads = ps.Select(p => p.Grad!.Span.ToArray()).ToArray();
        var padDx = x.Grad!.Span.ToArray();

        foreach (var p in ps) p.Grad = null;
        for (int i = 0; i < b; i++)
        {
            int len = lengths[i];
            var xi = new Tensor(1, len, f) { RequiresGrad = true };
            x.Span.Slice(i * t * f, len * f).CopyTo(xi.Span);
            var yi = rnn.Forward(xi);
            var upi = new Tensor(yi.Shape.ToArray());
            if (sequences)
            {
                up.Span.Slice(i * t * outW, len * outW).CopyTo(upi.Span);
                Near(y.Span.Slice(i * t * outW, len * outW), yi.Span, $"sample {i} outputs");
                Assert.All(y.Span.Slice((i * t + len) * outW, (t - len) * outW).ToArray(), v => Assert.Equal(0f, v));
            }
            else
            {
                up.Span.Slice(i * outW, outW).CopyTo(upi.Span);
                Near(y.Span.Slice(i * outW, outW), yi.Span, $"sample {i} last state");
            }
            Autograd.Backward(yi, upi); // parameter gradients accumulate over the samples
            Near(padDx.AsSpan(i * t * f, len * f), xi.Grad!.Span, $"sample {i} input gradient");
            Assert.All(padDx.AsSpan((i * t + len) * f, (t - len) * f).ToArray(), v => Assert.Equal(0f, v));
        }
        for (int k = 0; k < ps.Length; k++) Near(ps[k].Grad!.Span, padGrads[k], $"gradient of {ps[k].Name}");
    }

    private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
    }
}
