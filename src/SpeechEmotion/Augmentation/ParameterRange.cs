using System.Globalization;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// A closed interval [<see cref="Min"/>, <see cref="Max"/>] from which a transform draws one parameter
/// value uniformly per application; Min == Max fixes the value. Units are those of the parameter that
/// holds it (dB, seconds, semitones, ...).
/// </summary>
public readonly record struct ParameterRange(double Min, double Max)
{
    /// <summary>A range holding the single value <paramref name="value"/>.</summary>
    public static ParameterRange Fixed(double value) => new(value, value);

    /// <summary>True when Min == Max.</summary>
    public bool IsFixed => Min == Max;

    /// <summary>Draws a value uniformly from the range.</summary>
    public double Sample(AugmentationRandom rng) => IsFixed ? Min : rng.Uniform(Min, Max);

    /// <summary>Adds a problem when the range is not finite, inverted, or leaves [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    internal void Check(Problems p, string name, double lo, double hi)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max)) p.Add($"{name} must be finite (got {this})");
        else if (Min > Max) p.Add($"{name} has min {Min.ToString(CultureInfo.InvariantCulture)} above max {Max.ToString(CultureInfo.InvariantCulture)}");
        else if (Min < lo || Max > hi) p.Add($"{name} {this} must lie within [{lo.ToString(CultureInfo.InvariantCulture)}, {hi.ToString(CultureInfo.InvariantCulture)}]");
    }

    /// <summary>"[min, max]" or the single value, invariant culture.</summary>
    public override string ToString() => IsFixed
        ? Min.ToString("0.###", CultureInfo.InvariantCulture)
        : $"[{Min.ToString("0.###", CultureInfo.InvariantCulture)}, {Max.ToString("0.###", CultureInfo.InvariantCulture)}]";
}
