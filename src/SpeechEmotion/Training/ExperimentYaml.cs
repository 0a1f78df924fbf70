using System.Globalization;
using System.Text.Json.Nodes;
using SpeechEmotion.Corpora;
using SpeechEmotion.Features;
using SpeechEmotion.Models;
using SpeechEmotion.Models.Classical;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SpeechEmotion.Training;

/// <summary>
/// Reads experiment YAML files. Every problem — unknown keys, wrong types, out-of-range values, impossible
/// combinations (a vector model on frame features, regression heads without dimensional labels, ...) — is
/// collected with its line number and reported together in one <see cref="InvalidOptionsException"/>,
/// before anything is loaded or trained.
/// </summary>
public static class ExperimentYaml
{
    private static readonly string[] TopKeys = ["name", "description", "seed", "corpora", "labels", "features", "augmentation", "model", "training", "protocol", "output"];

    /// <summary>Reads and checks <paramref name="path"/>; relative paths inside resolve against its folder.</summary>
    /// <exception cref="InvalidOptionsException">Every problem, each prefixed with "line N".</exception>
    public static ExperimentConfig Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOptionsException($"experiment '{path}'", [$"cannot read the file: {e.Message}"]);
        }
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <summary>Parses YAML <paramref name="text"/>; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ExperimentConfig Parse(string text, string baseDirectory, string sourceName = "experiment")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new InvalidOptionsException($"experiment '{sourceName}'", [$"line {e.Start.Line}: not valid YAML: {e.Message}"]);
        }
        var r = new Reader(baseDirectory);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidOptionsException($"experiment '{sourceName}'", ["line 1: the file must be a YAML mapping (name:, corpora:, features:, model:, ...)"]);
        r.Keys(root, "", TopKeys);
        var name = r.Str(root, "name", null, required: true) ?? "experiment";
        var seed = r.Int(root, "seed", 1, 0, int.MaxValue);
        var corpora = ReadCorpora(r, root);
        var (labels, labelsName) = ReadLabels(r, root);
        var features = ReadFeatures(r, root);
        var model = ReadModel(r, root);
        var training = ReadTraining(r, root, (ulong)seed);
        var protocol = ReadProtocol(r, root);
        var augmentation = r.Child(root, "augmentation") is { } aug and not YamlScalarNode { Value: null or "" or "null" or "none" }
            ? ExperimentAugmentationYaml.Read(aug, text, sourceName, (ulong)seed, r.Fail, r.Add) : null;
        var output = r.Str(root, "output", null);
        var cfg = new ExperimentConfig
        {
            Name = name, Description = r.Str(root, "description", null), Seed = seed, Corpora = corpora, Labels = labels, LabelsName = labelsName,
            Features = features, Augmentation = augmentation, Model = model, Training = training, Protocol = protocol,
            Output = output is null ? Path.GetFullPath(Path.Combine("runs", name)) : r.Resolve(output), SourcePath = sourceName,
        };
        CheckCombinations(r, root, cfg);
        r.ThrowIfAny(sourceName);
        return cfg;
    }

    private static List<CorpusSelection> ReadCorpora(Reader r, YamlMappingNode root)
    {
        var list = new List<CorpusSelection>();
        var node = r.Child(root, "corpora");
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            r.Fail(node ?? root, "'corpora' must be a non-empty list of {name, root[, speakers]}");
            return list;
        }
        foreach (var item in seq)
        {
            if (item is not YamlMappingNode m) { r.Fail(item, "each corpus must be a mapping with 'name' and 'root'"); continue; }
            r.Keys(m, "corpora[]", ["name", "root", "speakers"]);
            var kindName = r.Str(m, "name", null, required: true);
            CorpusKind kind = CorpusKind.Ravdess;
            if (kindName is not null)
            {
                try { kind = CorpusLoaders.ParseKind(kindName); }
                catch (InvalidOptionsException e) { r.Fail(r.Child(m, "name")!, string.Join("; ", e.Problems)); }
            }
            var rootPath = r.Str(m, "root", null, required: true);
            var resolved = rootPath is null ? "" : r.Resolve(rootPath);
            if (rootPath is not null && !Directory.Exists(resolved) && !File.Exists(resolved))
                r.Fail(r.Child(m, "root")!, $"corpus root '{resolved}' does not exist");
            list.Add(new CorpusSelection(kind, resolved, r.StrList(m, "speakers")));
        }
        return list;
    }

    private static (LabelMap, string) ReadLabels(Reader r, YamlMappingNode root)
    {
        var node = r.Child(root, "labels");
        if (node is null) return (LabelMap.Identity, "identity");
        if (node is not YamlMappingNode m) { r.Fail(node, "'labels' must be a mapping (map:, classes:)"); return (LabelMap.Identity, "identity"); }
        r.Keys(m, "labels", ["map", "classes"]);
        var mapName = r.Str(m, "map", "identity")!;
        var map = mapName switch
        {
            "identity" => LabelMap.Identity,
            "calm-as-neutral" => LabelMap.CalmAsNeutral,
            "four-class" => LabelMap.FourClass,
            _ => null,
        };
        if (map is null) { r.Fail(r.Child(m, "map")!, $"labels.map must be identity, calm-as-neutral or four-class, got '{mapName}'"); map = LabelMap.Identity; }
        var classes = r.StrList(m, "classes");
        if (classes is not null)
        {
            var parsed = new List<Emotion>();
            foreach (var c in classes)
                if (EmotionNames.TryParse(c, out var e)) parsed.Add(e);
                else r.Fail(r.Child(m, "classes")!, $"unknown emotion '{c}' in labels.classes");
            map = map with { Classes = parsed };
        }
        return (map, mapName);
    }

    private static FeatureConfig ReadFeatures(Reader r, YamlMappingNode root)
    {
        var node = r.Child(root, "features");
        if (node is not YamlMappingNode m) { r.Fail(node ?? root, "'features' must be a mapping with 'set' (and optional 'parameters', 'cache')"); return new FeatureConfig { Set = "lld" }; }
        r.Keys(m, "features", ["set", "parameters", "cache", "speaker_normalise", "gender_normalise", "concat"]);
        var set = r.Str(m, "set", null, required: true) ?? "lld";
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Child(m, "parameters") is { } pn)
        {
            if (pn is YamlMappingNode pm)
                foreach (var (k, v) in pm.Children)
                {
                    if (v is YamlScalarNode sv) parameters[((YamlScalarNode)k).Value!] = sv.Value ?? "";
                    else r.Fail(v, $"features.parameters.{k}: expected a scalar value");
                }
            else r.Fail(pn, "features.parameters must be a mapping of name: value");
        }
        try { FeatureSets.Create(set, parameters); }
        catch (InvalidOptionsException e) { foreach (var p in e.Problems) r.Fail(r.Child(m, "set")!, "features: " + p); }
        var extra = new List<(string, IReadOnlyDictionary<string, string>)>();
        if (r.Child(m, "concat") is { } cat)
        {
            if (cat is YamlSequenceNode cs)
                foreach (var item in cs)
                {
                    if (item is not YamlMappingNode im) { r.Fail(item, "features.concat entries must be mappings with 'set' and optional 'parameters'"); continue; }
                    r.Keys(im, "features.concat[]", ["set", "parameters"]);
                    var es = r.Str(im, "set", null, required: true) ?? "functionals";
                    var ep = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (r.Child(im, "parameters") is YamlMappingNode epm)
                        foreach (var (k, v) in epm.Children) ep[((YamlScalarNode)k).Value!] = (v as YamlScalarNode)?.Value ?? "";
                    try { FeatureSets.Create(es, ep); }
                    catch (InvalidOptionsException e) { foreach (var p in e.Problems) r.Fail(im, "features.concat: " + p); }
                    extra.Add((es, ep));
                }
            else r.Fail(cat, "features.concat must be a list of {set, parameters}");
        }
        string? cache = null;
        if (r.Child(m, "cache") is YamlScalarNode cn)
            cache = cn.Value switch { "true" or null => null, "false" => "", var v => r.Resolve(v) };
        var speaker = r.Bool(m, "speaker_normalise", false);
        var gender = r.Bool(m, "gender_normalise", false);
        if (speaker && gender) r.Fail(r.Child(m, "gender_normalise")!, "features: speaker_normalise and gender_normalise exclude each other");
        return new FeatureConfig { Set = set, Parameters = parameters, Extra = extra, Cache = cache, SpeakerNormalise = speaker, GenderNormalise = gender };
    }

    private static ModelConfig ReadModel(Reader r, YamlMappingNode root)
    {
        var node = r.Child(root, "model");
        if (node is not YamlMappingNode m) { r.Fail(node ?? root, "'model' must be a mapping with 'architecture'"); return new ModelConfig { Architecture = "functionals-mlp" }; }
        r.Keys(m, "model", ["architecture", "parameters", "frames", "crop", "transpose", "normalise", "auxiliary", "ensemble"]);
        var arch = r.Str(m, "architecture", null, required: true) ?? "functionals-mlp";
        if (!ModelZoo.Architectures.Contains(arch) && !ClassicalModelSpec.IsClassical(arch))
            r.Fail(r.Child(m, "architecture")!, $"unknown architecture '{arch}'; known: {string.Join(", ", ModelZoo.Architectures.Concat(ClassicalModelSpec.Architectures))}");
        var parameters = r.Child(m, "parameters") is { } pn ? r.ToJson(pn) as JsonObject : new JsonObject();
        if (parameters is null) { r.Fail(r.Child(m, "parameters")!, "model.parameters must be a mapping"); parameters = new JsonObject(); }
        var aux = AuxiliaryHeads.None;
        foreach (var a in r.StrList(m, "auxiliary") ?? [])
            if (ModelSpec.TryParseAuxiliary(a, out var h)) aux |= h;
            else r.Fail(r.Child(m, "auxiliary")!, $"unknown auxiliary head '{a}'; known: arousal-binary, valence-binary, arousal, valence");
        var cfg = new ModelConfig
        {
            Architecture = arch, Parameters = parameters, Frames = r.Int(m, "frames", 0, 0, 1_000_000),
            Crop = r.Enum(m, "crop", CropPosition.Start), Transpose = r.Bool(m, "transpose", false), Normalise = r.Bool(m, "normalise", true), Auxiliary = aux,
            Ensemble = r.Int(m, "ensemble", 1, 1, 64),
        };
        if (ClassicalModelSpec.IsClassical(arch))
        {
            try { ClassicalModelSpec.Parse(arch, parameters); }
            catch (InvalidOptionsException e) { foreach (var p in e.Problems) r.Fail(r.Child(m, "parameters") ?? m, "model: " + p); }
        }
        if (ModelZoo.Architectures.Contains(arch))
        {
            // Hyper-parameter names, types and ranges, checked with placeholder shapes (the real ones come from the data).
            try { ModelZoo.Validate(new ModelSpec { Architecture = arch, Parameters = parameters, Features = 128, Frames = Math.Max(cfg.Frames, 1024), Classes = 8, Auxiliary = aux }); }
            catch (InvalidOptionsException e) { foreach (var p in e.Problems) r.Fail(r.Child(m, "parameters") ?? m, "model: " + p); }
        }
        return cfg;
    }

    private static TrainerOptions ReadTraining(Reader r, YamlMappingNode root, ulong seed)
    {
        var d = new TrainerOptions { Seed = seed };
        if (r.Child(root, "training") is not { } node) return d;
        if (node is not YamlMappingNode m) { r.Fail(node, "'training' must be a mapping"); return d; }
        r.Keys(m, "training", ["optimizer", "learning_rate", "weight_decay", "momentum", "nesterov", "batch_size", "epochs", "schedule", "step_size",
            "gamma", "min_learning_rate", "plateau_patience", "clip_norm", "balance", "label_smoothing", "patience", "monitor", "loss_weights"]);
        var lw = new LossWeights();
        if (r.Child(m, "loss_weights") is { } ln)
        {
            if (ln is YamlMappingNode lm)
            {
                r.Keys(lm, "training.loss_weights", ["emotion", "arousal_binary", "valence_binary", "arousal", "valence"]);
                lw = new LossWeights
                {
                    Emotion = (float)r.Double(lm, "emotion", 1, 0, 1000), ArousalBinary = (float)r.Double(lm, "arousal_binary", 0.3, 0, 1000),
                    ValenceBinary = (float)r.Double(lm, "valence_binary", 0.3, 0, 1000), Arousal = (float)r.Double(lm, "arousal", 0.3, 0, 1000),
                    Valence = (float)r.Double(lm, "valence", 0.3, 0, 1000),
                };
            }
            else r.Fail(ln, "training.loss_weights must be a mapping");
        }
        var o = new TrainerOptions
        {
            Seed = seed,
            Optimizer = r.Enum(m, "optimizer", d.Optimizer),
            LearningRate = (float)r.Double(m, "learning_rate", d.LearningRate, 1e-9, 10),
            WeightDecay = (float)r.Double(m, "weight_decay", d.WeightDecay, 0, 10),
            Momentum = (float)r.Double(m, "momentum", d.Momentum, 0, 0.9999),
            Nesterov = r.Bool(m, "nesterov", d.Nesterov),
            BatchSize = r.Int(m, "batch_size", d.BatchSize, 1, 4096),
            Epochs = r.Int(m, "epochs", d.Epochs, 1, 100000),
            Schedule = r.Enum(m, "schedule", d.Schedule),
            StepSize = r.Int(m, "step_size", d.StepSize, 1, 100000),
            Gamma = (float)r.Double(m, "gamma", d.Gamma, 1e-6, 0.999999),
            MinLearningRate = (float)r.Double(m, "min_learning_rate", d.MinLearningRate, 0, 10),
            PlateauPatience = r.Int(m, "plateau_patience", d.PlateauPatience, 0, 100000),
            ClipNorm = (float)r.Double(m, "clip_norm", d.ClipNorm, 0, 1e6),
            Balance = r.Enum(m, "balance", d.Balance),
            LabelSmoothing = (float)r.Double(m, "label_smoothing", d.LabelSmoothing, 0, 0.999),
            Patience = r.Int(m, "patience", d.Patience, 0, 100000),
            Monitor = r.Enum(m, "monitor", d.Monitor),
            LossWeights = lw,
        };
        try { o.Validate(); }
        catch (InvalidOptionsException e) { foreach (var p in e.Problems) r.Fail(m, "training: " + p); }
        return o;
    }

    private static ProtocolConfig ReadProtocol(Reader r, YamlMappingNode root)
    {
        if (r.Child(root, "protocol") is not { } node) return new ProtocolConfig();
        if (node is not YamlMappingNode m) { r.Fail(node, "'protocol' must be a mapping"); return new ProtocolConfig(); }
        r.Keys(m, "protocol", ["kind", "k", "test_fraction", "validation_fraction", "folds", "fold", "audit_audio", "allow_leakage"]);
        var kindText = r.Str(m, "kind", "ravdess-5fold")!;
        ProtocolKind kind = kindText switch
        {
            "ravdess-5fold" => ProtocolKind.Ravdess5Fold, "speaker-kfold" => ProtocolKind.SpeakerKFold, "loso" => ProtocolKind.Loso,
            "holdout" => ProtocolKind.Holdout, "random" => ProtocolKind.Random, _ => (ProtocolKind)(-1),
        };
        if ((int)kind < 0) { r.Fail(r.Child(m, "kind")!, $"protocol.kind must be ravdess-5fold, speaker-kfold, loso, holdout or random, got '{kindText}'"); kind = ProtocolKind.Ravdess5Fold; }
        List<int>? folds = null;
        if (r.Child(m, "folds") is { } fn)
        {
            folds = [];
            if (fn is YamlSequenceNode fs)
                foreach (var f in fs)
                    if (f is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 1) folds.Add(i);
                    else r.Fail(f, $"protocol.folds: '{(f as YamlScalarNode)?.Value}' is not a fold number ≥ 1");
            else r.Fail(fn, "protocol.folds must be a list of fold numbers");
        }
        return new ProtocolConfig
        {
            Kind = kind, K = r.Int(m, "k", 5, 2, 1000), TestFraction = r.Double(m, "test_fraction", 0.2, 0.01, 0.9),
            ValidationFraction = r.Double(m, "validation_fraction", 0.15, 0.01, 0.9), Folds = folds, Fold = r.Int(m, "fold", 1, 1, 1000),
            AuditAudio = r.Bool(m, "audit_audio", true), AllowLeakage = r.Bool(m, "allow_leakage", false),
        };
    }

    private static void CheckCombinations(Reader r, YamlMappingNode root, ExperimentConfig c)
    {
        var modelNode = r.Child(root, "model") ?? root;
        bool vectorSet = c.Features.Set is "functionals" or "egemaps-v02" or "egemaps" or "compare16";
        if (ClassicalModelSpec.IsClassical(c.Model.Architecture) && !vectorSet)
            r.Fail(modelNode, $"{c.Model.Architecture} takes one vector per utterance but feature set '{c.Features.Set}' gives frame sequences; use 'functionals', 'egemaps-v02' or 'compare16'");
        if (!ModelZoo.Architectures.Contains(c.Model.Architecture)) return;
        var info = ModelZoo.Info(new ModelSpec { Architecture = c.Model.Architecture, Parameters = c.Model.Parameters, Features = 1, Classes = 2 });
        if (info.Layout == InputLayout.Vector && !vectorSet)
            r.Fail(modelNode, $"{c.Model.Architecture} takes one vector per utterance but feature set '{c.Features.Set}' gives frame sequences; use 'functionals', 'egemaps-v02' or 'compare16'");
        if (info.Layout != InputLayout.Vector && vectorSet)
            r.Fail(modelNode, $"{c.Model.Architecture} takes frame sequences but feature set '{c.Features.Set}' gives one vector per utterance");
        if (!info.Masked && info.Layout != InputLayout.Vector && c.Model.Frames == 0)
            r.Fail(modelNode, $"{c.Model.Architecture} needs fixed-length input: set model.frames");
        if (c.Model.Transpose && (info.Masked || info.Layout != InputLayout.Sequence))
            r.Fail(modelNode, "model.transpose only applies to fixed-length sequence models (clstm-1d, cnn-1d)");
        bool dims = c.Corpora.Any(k => k.Kind == CorpusKind.Iemocap);
        if (c.Model.Auxiliary.HasFlag(AuxiliaryHeads.ArousalRegression) || c.Model.Auxiliary.HasFlag(AuxiliaryHeads.ValenceRegression))
            if (!dims) r.Fail(modelNode, "arousal/valence regression heads need a corpus with dimensional labels (IEMOCAP); use arousal-binary/valence-binary instead");
        if (c.Protocol.Kind == ProtocolKind.Ravdess5Fold && c.Corpora.Any(k => k.Kind != CorpusKind.Ravdess))
            r.Fail(r.Child(root, "protocol") ?? root, "protocol ravdess-5fold uses RAVDESS only; other corpora would be silently left out");
        if (c.Protocol.Kind == ProtocolKind.Ravdess5Fold && c.Corpora.Any(k => k.Speakers is not null))
            r.Fail(r.Child(root, "protocol") ?? root, "protocol ravdess-5fold needs all actors 01-20; use speaker-kfold with a speaker subset");
        if (c.Augmentation is { } a && r.Child(root, "augmentation") is { } an)
            ExperimentAugmentationYaml.Check(a, c, an, r.Fail);
    }

    /// <summary>Walks YAML nodes collecting "line N: ..." problems.</summary>
    private sealed class Reader(string baseDirectory)
    {
        private readonly List<string> _problems = [];

        // "shared:x" finds the project's shared folder (SER_SHARED, else an ancestor's "shared" beside the checkout),
        // so committed experiments work from any checkout or worktree depth.
        public string Resolve(string path)
        {
            if (path.StartsWith("shared:", StringComparison.Ordinal))
            {
                var rel = path["shared:".Length..].TrimStart('/');
                var env = Environment.GetEnvironmentVariable("SER_SHARED");
                if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(Path.Combine(env, rel));
                foreach (var start in new[] { baseDirectory, Directory.GetCurrentDirectory() })
                    for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                        if (Directory.Exists(Path.Combine(d.FullName, "shared", "datasets"))) return Path.GetFullPath(Path.Combine(d.FullName, "shared", rel));
                return Path.GetFullPath(Path.Combine(baseDirectory, "..", "shared", rel));
            }
            return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
        }

        public void Fail(YamlNode at, string message) => _problems.Add($"line {at.Start.Line}: {message}");

        public void Add(string problem) => _problems.Add(problem);

        public void ThrowIfAny(string source)
        {
            if (_problems.Count > 0) throw new InvalidOptionsException($"experiment '{source}'", _problems.ToArray());
        }

        public void Keys(YamlMappingNode m, string section, string[] allowed)
        {
            foreach (var (k, _) in m.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                    Fail(k, $"unknown key '{(section.Length > 0 ? section + "." : "")}{name}'; allowed: {string.Join(", ", allowed)}");
            }
        }

        public YamlNode? Child(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        private YamlScalarNode? Scalar(YamlMappingNode m, string key, string what)
        {
            var n = Child(m, key);
            if (n is null || n is YamlScalarNode { Value: null or "" or "~" or "null" } && n is YamlScalarNode { Style: not ScalarStyle.DoubleQuoted and not ScalarStyle.SingleQuoted }) return null;
            if (n is YamlScalarNode s) return s;
            Fail(n, $"'{key}' must be {what}");
            return null;
        }

        public string? Str(YamlMappingNode m, string key, string? fallback, bool required = false)
        {
            var s = Scalar(m, key, "a string");
            if (s is null && required && Child(m, key) is null) Fail(m, $"missing required key '{key}'");
            return s?.Value ?? fallback;
        }

        public int Int(YamlMappingNode m, string key, int fallback, int min, int max)
        {
            var s = Scalar(m, key, "an integer");
            if (s is null) return fallback;
            if (int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
            Fail(s, $"'{key}' must be an integer in {min}..{max}, got '{s.Value}'");
            return fallback;
        }

        public double Double(YamlMappingNode m, string key, double fallback, double min, double max)
        {
            var s = Scalar(m, key, "a number");
            if (s is null) return fallback;
            if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
            Fail(s, $"'{key}' must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}], got '{s.Value}'");
            return fallback;
        }

        public bool Bool(YamlMappingNode m, string key, bool fallback)
        {
            var s = Scalar(m, key, "true or false");
            if (s is null) return fallback;
            if (s.Value is "true" or "false") return s.Value == "true";
            Fail(s, $"'{key}' must be true or false, got '{s.Value}'");
            return fallback;
        }

        public T Enum<T>(YamlMappingNode m, string key, T fallback) where T : struct, System.Enum
        {
            var s = Scalar(m, key, "a name");
            if (s is null) return fallback;
            var norm = s.Value!.Replace("-", "").Replace("_", "");
            if (System.Enum.TryParse<T>(norm, true, out var v) && System.Enum.IsDefined(v) && !int.TryParse(norm, out _)) return v;
            Fail(s, $"'{key}' must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{s.Value}'");
            return fallback;
        }

        public List<string>? StrList(YamlMappingNode m, string key)
        {
            var n = Child(m, key);
            if (n is null) return null;
            if (n is YamlSequenceNode seq && seq.Children.All(c => c is YamlScalarNode)) return seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
            Fail(n, $"'{key}' must be a list of names");
            return null;
        }

        public JsonNode? ToJson(YamlNode n) => n switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
            YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
            YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } q => JsonValue.Create(q.Value),
            YamlScalarNode { Value: null or "~" or "null" } => null,
            YamlScalarNode { Value: "true" } => JsonValue.Create(true),
            YamlScalarNode { Value: "false" } => JsonValue.Create(false),
            YamlScalarNode q when double.TryParse(q.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            YamlScalarNode q => JsonValue.Create(q.Value),
            _ => null,
        };
    }
}
