using SpeechEmotion.Nn;

namespace SpeechEmotion.Models;

/// <summary>What the zoo knows about an architecture before building it.</summary>
/// <param name="Name">Architecture name.</param>
/// <param name="Layout">Input layout.</param>
/// <param name="Masked">True: variable-length input padded per batch with lengths (masking); false: fixed
/// frames (crop/pad to <see cref="ModelSpec.Frames"/>) or a vector.</param>
/// <param name="SupportsAuxiliary">True when auxiliary heads are accepted.</param>
/// <param name="Description">One line for help texts and reports.</param>
public sealed record ArchitectureInfo(string Name, InputLayout Layout, bool Masked, bool SupportsAuxiliary, string Description)
{
    /// <summary>The variable-length policy the architecture declares: one vector per utterance, a fixed crop
    /// (or zero-pad) to <see cref="ModelSpec.Frames"/>, or padding to the batch's longest clip with masking.</summary>
    public LengthMode LengthPolicy => Layout == InputLayout.Vector ? LengthMode.Vector : Masked ? LengthMode.Masked : LengthMode.Fixed;
}

/// <summary>
/// The one place that maps an architecture name to a network. Training builds models here and
/// inference rebuilds them from a saved <see cref="ModelSpec"/> the same way.
/// </summary>
public static class ModelZoo
{
    private static readonly ArchitectureInfo[] Infos =
    [
        new("cnn-lstm-2d", InputLayout.Image, false, false, "4 local feature-learning blocks (conv 3x3 + BN + ELU + max-pool) + LSTM on log-mel (Zhao, Mao & Chen 2019); fixed crop"),
        new("clstm-1d", InputLayout.Sequence, false, false, "3 Conv1D blocks (k5; 1024/512/256; pool 2; BN; dropout) + 3 x LSTM(128) + dense 128-64-32 on zcr-rms-mfcc; fixed crop"),
        new("lstm", InputLayout.Sequence, true, false, "stacked LSTM, last valid state; padding + mask"),
        new("bilstm", InputLayout.Sequence, true, false, "stacked bidirectional LSTM, last states; padding + mask"),
        new("gru", InputLayout.Sequence, true, false, "stacked GRU, last valid state; padding + mask"),
        new("cnn-1d", InputLayout.Sequence, false, false, "Conv1D blocks over time + global average pooling; fixed crop"),
        new("functionals-mlp", InputLayout.Vector, false, false, "MLP on standardised utterance functionals"),
        new("functionals-cnn", InputLayout.Vector, false, false, "1-D CNN over the standardised functionals vector"),
        new("attention-bilstm", InputLayout.Sequence, true, false, "conv front-end + BiLSTM + additive attention pooling, on frame LLDs; padding + mask (mask-aware BN)"),
        new("perception-multitask", InputLayout.Sequence, true, true, "shared encoder + emotion head + auxiliary arousal/valence heads (Liu, Cai & Wang 2023); padding + mask (vectors with the mlp encoder)"),
    ];

    /// <summary>Architecture names, in the order of the documentation.</summary>
    public static IReadOnlyList<string> Architectures { get; } = Infos.Select(i => i.Name).ToArray();

    /// <summary>Facts about <paramref name="architecture"/>; throws <see cref="InvalidOptionsException"/> for an unknown name.</summary>
    public static ArchitectureInfo Info(string architecture) =>
        Infos.FirstOrDefault(i => i.Name == architecture)
        ?? throw new InvalidOptionsException("model", [$"unknown architecture '{architecture}'; known: {string.Join(", ", Architectures)}"]);

    /// <summary>Facts about the architecture of <paramref name="spec"/>, accounting for hyper-parameters that
    /// change the layout (perception-multitask with the "mlp" encoder takes vectors).</summary>
    public static ArchitectureInfo Info(ModelSpec spec)
    {
        var info = Info(spec.Architecture);
        if (spec.Architecture == "perception-multitask" && spec.Parameters.TryGetPropertyValue("encoder", out var e)
            && e?.ToString().Equals("mlp", StringComparison.OrdinalIgnoreCase) == true)
            return info with { Layout = InputLayout.Vector, Masked = false };
        return info;
    }

    /// <summary>Checks <paramref name="spec"/> without building anything; throws <see cref="InvalidOptionsException"/> listing every problem.</summary>
    public static void Validate(ModelSpec spec) => Plan(spec, 0);

    /// <summary>Builds the network of <paramref name="spec"/> with weights and dropout streams seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="InvalidOptionsException">Unknown architecture or hyper-parameter, bad value, or a shape the network cannot take.</exception>
    public static EmotionModel Create(ModelSpec spec, ulong seed)
    {
        var model = Plan(spec, seed)();
        model.Spec = spec;
        return model;
    }

    private static Func<EmotionModel> Plan(ModelSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var info = Info(spec);
        var hp = new HyperParameters(spec.Architecture, spec.Parameters);
        if (spec.Features < 1) hp.Fail($"features must be positive, got {spec.Features}");
        if (spec.Classes < 2) hp.Fail($"classes must be at least 2, got {spec.Classes}");
        if (spec.Auxiliary != AuxiliaryHeads.None && !info.SupportsAuxiliary)
            hp.Fail($"{spec.Architecture} has no auxiliary heads (use perception-multitask)");
        if (spec.Frames < 0) hp.Fail($"frames must be ≥ 0, got {spec.Frames}");
        int f = Math.Max(1, spec.Features), c = Math.Max(2, spec.Classes);
        Func<EmotionModel> build = spec.Architecture switch
        {
            "cnn-lstm-2d" => CnnLstm(hp, spec, seed),
            "clstm-1d" => Clstm(hp, spec, seed),
            "lstm" or "bilstm" or "gru" => RecurrentModel(hp, spec, f, c, seed),
            "cnn-1d" => Cnn1d(hp, spec, f, c, seed, vector: false),
            "functionals-cnn" => Cnn1d(hp, spec, f, c, seed, vector: true),
            "functionals-mlp" => Mlp(hp, f, c, seed),
            "attention-bilstm" => AttentionBilstm(hp, f, c, AuxiliaryHeads.None, seed),
            "perception-multitask" => Multitask(hp, spec, f, c, seed),
            _ => throw new InvalidOptionsException("model", [$"unknown architecture '{spec.Architecture}'"]),
        };
        hp.ThrowIfInvalid();
        return build;
    }

    private static Func<EmotionModel> CnnLstm(HyperParameters hp, ModelSpec spec, ulong seed)
    {
        var o = new CnnLstm2dOptions
        {
            Mels = spec.Features, Classes = spec.Classes, Seed = seed,
            Channels = hp.Ints("channels", [64, 64, 128, 128], 1, 4096),
            Pools = hp.Ints("pools", [2, 4, 4, 4], 1, 64),
            LstmHidden = hp.Int("lstm_hidden", 256, 1, 8192),
        };
        int shrink = o.Pools.Aggregate(1, (a, b) => a * b);
        if (o.Channels.Count != o.Pools.Count) hp.Fail("'channels' and 'pools' must have the same length");
        if (spec.Features < shrink) hp.Fail($"cnn-lstm-2d needs at least {shrink} mel bands (the pooling factor), got {spec.Features}");
        if (spec.Frames < shrink) hp.Fail($"cnn-lstm-2d needs fixed input of at least {shrink} frames, got frames = {spec.Frames}");
        return () => new CnnLstm2d(o);
    }

    private static Func<EmotionModel> Clstm(HyperParameters hp, ModelSpec spec, ulong seed)
    {
        var o = new Clstm1dOptions
        {
            Features = spec.Features, Classes = spec.Classes, Seed = seed,
            Filters = hp.Ints("filters", [1024, 512, 256], 1, 8192),
            Kernel = hp.Int("kernel", 5, 1, 101),
            LstmLayers = hp.Int("lstm_layers", 3, 1, 16),
            LstmHidden = hp.Int("lstm_hidden", 128, 1, 8192),
            Dense = hp.Ints("dense", [128, 64, 32], 1, 8192, allowEmpty: true),
            Dropout = hp.Float("dropout", 0.3f, 0, 0.95),
        };
        if (spec.Frames < 1 << o.Filters.Count) hp.Fail($"clstm-1d needs fixed input of at least {1 << o.Filters.Count} frames, got frames = {spec.Frames}");
        return () => new Clstm1d(o);
    }

    private static Func<EmotionModel> RecurrentModel(HyperParameters hp, ModelSpec spec, int f, int c, ulong seed)
    {
        var kind = spec.Architecture == "gru" ? RecurrentKind.Gru : RecurrentKind.Lstm;
        bool bi = spec.Architecture == "bilstm";
        int hidden = hp.Int("hidden", 128, 1, 8192), layers = hp.Int("layers", 1, 1, 16);
        float dropout = hp.Float("dropout", 0.2f, 0, 0.95);
        var dense = hp.Ints("dense", [], 1, 8192, allowEmpty: true);
        return () => Seeded(new EncoderClassifier(new RecurrentEncoder(kind, f, hidden, layers, bi, dropout),
            InputLayout.Sequence, true, 1, dense, dropout, c, AuxiliaryHeads.None), seed);
    }

    private static Func<EmotionModel> Cnn1d(HyperParameters hp, ModelSpec spec, int f, int c, ulong seed, bool vector)
    {
        var filters = hp.Ints("filters", vector ? [32, 64] : [64, 128, 128], 1, 8192);
        int kernel = hp.Int("kernel", 5, 1, 101);
        float dropout = hp.Float("dropout", 0.2f, 0, 0.95);
        var dense = hp.Ints("dense", [64], 1, 8192, allowEmpty: true);
        int min = 1 << filters.Length;
        if (vector && f < min) hp.Fail($"functionals-cnn needs at least {min} features for {filters.Length} pooling blocks, got {f}");
        if (!vector && spec.Frames < min) hp.Fail($"cnn-1d needs fixed input of at least {min} frames, got frames = {spec.Frames}");
        return () => Seeded(new EncoderClassifier(new Cnn1dEncoder(f, filters, kernel, dropout, vector),
            vector ? InputLayout.Vector : InputLayout.Sequence, false, vector ? 1 : min, dense, dropout, c, AuxiliaryHeads.None), seed);
    }

    private static Func<EmotionModel> Mlp(HyperParameters hp, int f, int c, ulong seed)
    {
        var o = new FunctionalsMlpOptions
        {
            Features = f, Classes = c, Seed = seed,
            Hidden = hp.Ints("hidden", [256, 128], 1, 8192, allowEmpty: true),
            Dropout = hp.Float("dropout", 0.3f, 0, 0.95),
        };
        return () => new FunctionalsMlp(o);
    }

    private static Func<EmotionModel> AttentionBilstm(HyperParameters hp, int f, int c, AuxiliaryHeads aux, ulong seed)
    {
        int conv = hp.Int("conv_channels", 64, 0, 8192), kernel = hp.Int("kernel", 5, 1, 101);
        int hidden = hp.Int("hidden", 64, 1, 8192), layers = hp.Int("layers", 1, 1, 16), att = hp.Int("attention", 64, 1, 8192);
        float dropout = hp.Float("dropout", 0.2f, 0, 0.95);
        var dense = hp.Ints("dense", [], 1, 8192, allowEmpty: true);
        return () => Seeded(new EncoderClassifier(new AttentionBilstmEncoder(f, conv, kernel, hidden, layers, att, dropout),
            InputLayout.Sequence, true, 1, dense, dropout, c, aux), seed);
    }

    private static Func<EmotionModel> Multitask(HyperParameters hp, ModelSpec spec, int f, int c, ulong seed)
    {
        var encoder = hp.Choice("encoder", "attention-bilstm", "attention-bilstm", "mlp");
        if (encoder == "attention-bilstm") return AttentionBilstm(hp, f, c, spec.Auxiliary, seed);
        var hidden = hp.Ints("mlp_hidden", [256, 128], 1, 8192);
        float dropout = hp.Float("dropout", 0.3f, 0, 0.95);
        var dense = hp.Ints("dense", [], 1, 8192, allowEmpty: true);
        return () => Seeded(new EncoderClassifier(new MlpEncoder(f, hidden, dropout), InputLayout.Vector, false, 1, dense, dropout, c, spec.Auxiliary), seed);
    }

    private static EmotionModel Seeded(EmotionModel m, ulong seed)
    {
        m.Initialize(InitScheme.PyTorch, seed);
        SeededDropout.ReseedAll(m, seed);
        return m;
    }
}
