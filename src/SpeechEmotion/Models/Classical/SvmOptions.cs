namespace SpeechEmotion.Models.Classical;

/// <summary>How a multi-class SVM is built from binary machines.</summary>
public enum MultiClassStrategy
{
    /// <summary>One machine per class pair (k(k−1)/2), majority vote; LIBSVM's choice.</summary>
    OneVsOne,

    /// <summary>One machine per class against all others (k), largest decision value wins.</summary>
    OneVsRest,
}

/// <summary>Options of <see cref="Svm"/> (C-support vector classification). Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record SvmOptions
{
    /// <summary>Kernel. Default <see cref="KernelKind.Rbf"/>.</summary>
    public KernelKind Kernel { get; init; } = KernelKind.Rbf;

    /// <summary>Box constraint C (&gt; 0); per-sample bound is C × sample weight × class weight. Default 1.</summary>
    public double C { get; init; } = 1.0;

    /// <summary>RBF width γ in K = exp(−γ‖a − b‖²) (&gt; 0); null means 1/d, the usual choice for standardised features. Ignored by the linear kernel.</summary>
    public double? Gamma { get; init; }

    /// <summary>Stopping tolerance ε on the maximal KKT violation (&gt; 0). Default 1e-3 (LIBSVM's).</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Kernel cache budget in MiB (≥ 1). When n² doubles fit, the whole kernel matrix is precomputed. Default 256.</summary>
    public int CacheMegabytes { get; init; } = 256;

    /// <summary>Multi-class scheme. Default <see cref="MultiClassStrategy.OneVsOne"/>.</summary>
    public MultiClassStrategy MultiClass { get; init; } = MultiClassStrategy.OneVsOne;

    /// <summary>
    /// Folds of the internal cross-validation that produces the decision values Platt's sigmoids are
    /// fitted on (0, or 2–20). 0 (default) fits them on the training decision values: no extra cost,
    /// but over-confident probabilities; 5 is LIBSVM's choice. Class predictions do not depend on it.
    /// </summary>
    public int ProbabilityFolds { get; init; }

    /// <summary>Seed of the internal probability cross-validation split. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every invalid value.</summary>
    public void Validate() =>
        new Problems()
            .Require(Enum.IsDefined(Kernel), $"Kernel {Kernel} is not a known kernel.")
            .Require(C > 0 && double.IsFinite(C), $"C must be finite and positive, got {C}.")
            .Require(Gamma is null || (Gamma > 0 && double.IsFinite(Gamma.Value)), $"Gamma must be null or finite and positive, got {Gamma}.")
            .Require(Tolerance > 0 && double.IsFinite(Tolerance), $"Tolerance must be finite and positive, got {Tolerance}.")
            .Require(CacheMegabytes >= 1, $"CacheMegabytes must be at least 1, got {CacheMegabytes}.")
            .Require(Enum.IsDefined(MultiClass), $"MultiClass {MultiClass} is not a known strategy.")
            .Require(ProbabilityFolds == 0 || ProbabilityFolds is >= 2 and <= 20, $"ProbabilityFolds must be 0 or in [2, 20], got {ProbabilityFolds}.")
            .ThrowIfAny(nameof(SvmOptions));
}

/// <summary>One fitted binary machine of an <see cref="Svm"/>: f(x) = Σₛ coefₛ K(svₛ, x) − ρ; f &gt; 0 means the positive class.</summary>
/// <param name="PositiveClass">Class index that f &gt; 0 stands for.</param>
/// <param name="NegativeClass">Class index that f &lt; 0 stands for, or −1 for "all other classes" (one-vs-rest).</param>
/// <param name="SupportVectors">Indices into <see cref="Svm.SupportVectors"/> rows.</param>
/// <param name="TrainingRows">Training-row index of each support vector (as given to Fit; empty after loading an older file).</param>
/// <param name="Coefficients">αₛyₛ per support vector (|coef| ≤ Cₛ).</param>
/// <param name="Rho">Offset ρ (the bias is −ρ).</param>
/// <param name="PlattA">Sigmoid slope A of P(positive | f) = 1 / (1 + exp(A f + B)).</param>
/// <param name="PlattB">Sigmoid offset B.</param>
/// <param name="DualObjective">Final dual objective ½αᵀQα − eᵀα.</param>
/// <param name="Iterations">SMO iterations used.</param>
public sealed record SvmBinaryModel(
    int PositiveClass, int NegativeClass, int[] SupportVectors, int[] TrainingRows, double[] Coefficients,
    double Rho, double PlattA, double PlattB, double DualObjective, long Iterations);
