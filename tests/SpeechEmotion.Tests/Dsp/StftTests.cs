using SpeechEmotion.Dsp;
using SpeechEmotion.Tests.Features;

namespace SpeechEmotion.Tests.Dsp;

public class StftTests
{
    public static IEnumerable<object[]> Cases() => LibrosaReference.Cases();

    internal static StftOptions OptionsOf(RefSet s) =>
        new() { NFft = s.NFft, HopLength = s.Hop, WinLength = s.Win, Window = WindowKind.Hann, Center = true, PadMode = PadMode.Constant };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Magnitude_matches_librosa(string clip, string set)
    {
        var s = LibrosaReference.Get(clip, set);
        var expected = s.Features["stft_magnitude"];
        var ours = Stft.Magnitude(s.Signal, OptionsOf(s));
        Assert.Equal(expected.Frames, ours.Frames);
        Assert.Equal(expected.Rows, ours.Bins);
        var tol = 1e-4 * expected.MaxAbs + 1e-6;
        double worst = 0;
        for (var t = 0; t < ours.Frames; t++)
            for (var k = 0; k < ours.Bins; k++)
                worst = Math.Max(worst, Math.Abs(ours.Data[t * ours.Bins + k] - expected[k, t]));
        Assert.True(worst <= tol, $"{s}: max error {worst:g4} > {tol:g4}");
    }

    [Theory]
    [InlineData(WindowKind.Hann, 0.0, 0.5)]
    [InlineData(WindowKind.Hamming, 0.08, 0.54)]
    [InlineData(WindowKind.Blackman, 0.0, 0.34)]
    public void Periodic_windows_follow_scipy(WindowKind kind, double first, double quarter)
    {
        var w = Windows.Create(kind, 16);
        Assert.Equal(first, w[0], 1e-6);
        Assert.Equal(quarter, w[4], 1e-6); // cos(π/2) = 0 at n = N/4
        Assert.Equal(1.0, Windows.Create(kind, 17, periodic: false)[8], 1e-6);
    }

    [Fact]
    public void Povey_is_hann_to_the_085()
    {
        var h = Windows.Create(WindowKind.Hann, 400, periodic: false);
        var p = Windows.Create(WindowKind.Povey, 400, periodic: false);
        for (var i = 0; i < 400; i++) Assert.Equal(Math.Pow(h[i], 0.85), p[i], 1e-6);
    }

    [Fact]
    public void Short_window_is_centred_in_nfft()
    {
        var w = Windows.CreatePadded(WindowKind.Rectangular, 400, 512);
        Assert.Equal(0f, w[55]); Assert.Equal(1f, w[56]); Assert.Equal(1f, w[455]); Assert.Equal(0f, w[456]);
    }

    [Theory]
    [InlineData(PadMode.Constant, new float[] { 0, 0, 1, 2, 3, 0, 0 })]
    [InlineData(PadMode.Reflect, new float[] { 3, 2, 1, 2, 3, 2, 1 })]
    [InlineData(PadMode.Edge, new float[] { 1, 1, 1, 2, 3, 3, 3 })]
    public void Pad_modes_match_numpy(PadMode mode, float[] expected)
    {
        Assert.Equal(expected, Signals.Pad([1, 2, 3], 2, 2, mode));
    }

    [Fact]
    public void Reflect_pad_longer_than_signal_repeats_mirror()
    {
        // np.pad([1,2,3], 5, mode='reflect') = [2 1 2 3 2 1 2 3 2 1 2 3 2]
        Assert.Equal(new float[] { 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2 }, Signals.Pad([1, 2, 3], 5, 5, PadMode.Reflect));
    }

    [Theory]
    [InlineData(512, 128, 400, WindowKind.Hann, true)]
    [InlineData(400, 160, 400, WindowKind.Hamming, true)]
    [InlineData(2048, 512, 2048, WindowKind.Hann, false)]
    public void Inverse_reconstructs_signal(int nFft, int hop, int win, WindowKind window, bool center)
    {
        var rng = new Random(3);
        var y = new float[8000];
        for (var i = 0; i < y.Length; i++) y[i] = (float)(rng.NextDouble() - 0.5);
        var o = new StftOptions { NFft = nFft, HopLength = hop, WinLength = win, Window = window, Center = center };
        var s = Stft.Forward(y, o);
        var back = Stft.Inverse(s, o, y.Length);
        Assert.Equal(y.Length, back.Length);
        // without centring the first/last samples are not covered by the window: skip nFft there
        int from = center ? 0 : nFft, to = center ? y.Length : s.Frames * hop;
        for (var i = from; i < to; i++) Assert.True(Math.Abs(y[i] - back[i]) < 1e-4, $"i={i}: {y[i]} vs {back[i]}");
    }

    [Fact]
    public void Bad_options_are_all_reported()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => new Stft(new StftOptions { NFft = 256, WinLength = 400, HopLength = 0 }));
        Assert.Contains("400", ex.Message);
        Assert.Contains("HopLength", ex.Message);
        Assert.Equal(2, ex.Problems.Count);
    }

    [Fact]
    public void Bad_signals_are_typed_errors()
    {
        var o = new StftOptions { NFft = 512, HopLength = 160 };
        Assert.Throws<InvalidSignalException>(() => Stft.Magnitude([], o));
        var nan = new float[1000]; nan[17] = float.NaN;
        Assert.Contains("17", Assert.Throws<InvalidSignalException>(() => Stft.Magnitude(nan, o)).Message);
        var inf = new float[1000]; inf[3] = float.PositiveInfinity;
        Assert.Throws<InvalidSignalException>(() => Stft.Magnitude(inf, o));
        Assert.Throws<InvalidSignalException>(() => Stft.Magnitude(new float[100], o with { Center = false }));
    }
}
