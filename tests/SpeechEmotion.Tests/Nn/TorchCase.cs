using System.Text.Json;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Tests.Nn;

/// <summary>One PyTorch reference case from shared/reference/torch (flat row-major tensors).</summary>
internal sealed class TorchCase
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors = new();

    public TorchCase(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Path($"reference/torch/{name}.json")));
        foreach (var t in doc.RootElement.GetProperty("tensors").EnumerateObject())
        {
            var shape = t.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var data = t.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            _tensors[t.Name] = (shape, data);
        }
        Params = doc.RootElement.GetProperty("params").Clone();
    }

    public JsonElement Params { get; }

    public IEnumerable<string> Names => _tensors.Keys;

    public bool Has(string name) => _tensors.ContainsKey(name);

    public Tensor T(string name, bool requiresGrad = false)
    {
        var (s, d) = _tensors[name];
        var t = Tensor.FromArray((float[])d.Clone(), s);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    public float[] Data(string name) => _tensors[name].Data;

    public int[] Ints(string name) => _tensors[name].Data.Select(v => (int)MathF.Round(v)).ToArray();

    /// <summary>Max-norm relative error: max|a − b| / max|b|.</summary>
    public static double RelErr(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double floor = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, scale = floor;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return diff / scale;
    }

    public void AssertClose(string name, Tensor? actual, double tol = 1e-4, double floor = 1e-12) =>
        AssertClose(name, actual is null ? throw new Xunit.Sdk.XunitException($"{name}: no tensor") : actual.Span, tol, floor);

    public void AssertClose(string name, ReadOnlySpan<float> actual, double tol = 1e-4, double floor = 1e-12)
    {
        double e = RelErr(actual, Data(name), floor);
        Assert.True(e <= tol, $"{name}: relative error {e:E3} > {tol:E0}");
    }

    /// <summary>Copies every "param.X" tensor into the module's state entry X.</summary>
    public void LoadParams(Module m, string prefix = "")
    {
        var state = m.StateDict();
        foreach (var n in Names.Where(n => n.StartsWith("param.", StringComparison.Ordinal)))
        {
            var key = prefix + n["param.".Length..];
            Assert.True(state.ContainsKey(key), $"module has no {key}");
            Data(n).CopyTo(state[key].Span);
        }
    }

    /// <summary>Asserts every "grad.X" against the gradient of state entry X.</summary>
    /// <remarks>A gradient that is exactly zero in exact arithmetic (a conv bias followed by batch norm
    /// is stored as ~1e-17 rounding noise) has no meaningful relative error; <paramref name="floor"/>
    /// sets the smallest scale the error is divided by.</remarks>
    public void AssertParamGrads(Module m, double tol = 1e-4, string prefix = "", double floor = 1e-12)
    {
        var state = m.StateDict();
        foreach (var n in Names.Where(n => n.StartsWith("grad.", StringComparison.Ordinal)))
            AssertClose(n, state[prefix + n["grad.".Length..]].Grad, tol, floor);
    }
}
