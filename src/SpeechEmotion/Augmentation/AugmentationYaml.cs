using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SpeechEmotion.Augmentation;

/// <summary>
/// Reads <see cref="AugmentationPipelineOptions"/> from YAML (the <c>augmentation:</c> block of an experiment
/// file, or a file holding only the block). Every problem — unknown keys, wrong types, values out of range,
/// unknown transform types — is reported at once, each with its line and column, in one
/// <see cref="InvalidOptionsException"/>. Keys:
/// <code>
/// seed: 42
/// waveform:                       # applied in order
///   - type: noise                 # noise | gain | time_shift | speed | pitch_shift | time_stretch | reverb | telephone | clipping
///     p: 0.5                      # probability (every transform; default 0.5)
///     kinds: [pink, babble]       # white | pink | brown | babble | file
///     snr_db: [5, 20]             # a range [min, max] or a single number
///     babble_talkers: [3, 7]
///     folder: /data/noise         # for kind file
///   - {type: gain, gain_db: [-6, 6], allow_clipping: false}
///   - {type: time_shift, shift_s: [-0.1, 0.1], circular: false}
///   - {type: speed, factor: [0.9, 1.1]}
///   - {type: pitch_shift, semitones: [-2, 2]}
///   - {type: time_stretch, rate: [0.8, 1.25]}
///   - {type: reverb, rt60_s: [0.2, 0.8], drr_db: [0, 10]}
///   - {type: telephone, mu_law_p: 0.5}
///   - {type: clipping, level: [0.3, 0.8]}
/// specaugment: {p: 1, freq_masks: 2, freq_width: 8, time_masks: 2, time_width: 20, max_time_fraction: 0.2, mask_value: mean, time_warp: 0}
/// mixup: {p: 1, alpha: 0.2}
/// </code>
/// </summary>
public static class AugmentationYaml
{
    /// <summary>The transform types YAML knows, by their <c>type:</c> name.</summary>
    public static IReadOnlyList<string> TransformTypes { get; } =
        ["noise", "gain", "time_shift", "speed", "pitch_shift", "time_stretch", "reverb", "telephone", "clipping"];

    /// <summary>
    /// Parses <paramref name="yaml"/>. With <paramref name="section"/> (e.g. "augmentation") the options are
    /// read from that key of the root mapping; without, the root mapping is the block.
    /// </summary>
    /// <param name="yaml">YAML text.</param>
    /// <param name="section">Key of the block inside an experiment file, or null.</param>
    /// <param name="sourceName">Name used in messages (a file path).</param>
    /// <exception cref="InvalidOptionsException">Every problem, with line numbers.</exception>
    /// <param name="otherKeys">Keys of the block that the caller reads itself (e.g. the experiment's "copies", "placement",
    /// "preset"); they are not reported as unknown.</param>
    public static AugmentationPipelineOptions Parse(string yaml, string? section = null, string sourceName = "augmentation YAML",
        IReadOnlyCollection<string>? otherKeys = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidOptionsException(sourceName, [$"line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}"]);
        }
        var p = new Problems();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            p.Add("line 1: the document must be a mapping of keys");
            p.ThrowIfAny(sourceName);
            throw new InvalidOperationException("unreachable");
        }
        var block = root;
        if (section is not null)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(section), out var node))
            {
                p.Add($"line {root.Start.Line}: no '{section}' key");
                p.ThrowIfAny(sourceName);
            }
            if (node is not YamlMappingNode m)
            {
                p.Add($"{At(node!)}'{section}' must be a mapping");
                p.ThrowIfAny(sourceName);
                throw new InvalidOperationException("unreachable");
            }
            block = m;
        }
        var options = ReadPipeline(block, p, otherKeys ?? []);
        p.ThrowIfAny(sourceName);
        return options;
    }

    /// <summary>Reads the file at <paramref name="path"/> (see <see cref="Parse"/>).</summary>
    /// <exception cref="AugmentationException">The file cannot be read.</exception>
    public static AugmentationPipelineOptions Load(string path, string? section = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new AugmentationException($"Cannot read augmentation YAML '{path}': {e.Message}");
        }
        return Parse(text, section, path);
    }

    private static AugmentationPipelineOptions ReadPipeline(YamlMappingNode node, Problems p, IReadOnlyCollection<string> otherKeys)
    {
        var r = new MapReader(node, "augmentation", p);
        foreach (var k in otherKeys) r.Node(k);
        var options = new AugmentationPipelineOptions { Seed = r.UInt64("seed") ?? 0 };
        var list = new List<WaveformTransformOptions>();
        if (r.Node("waveform") is { } w)
        {
            if (w is not YamlSequenceNode seq) p.Add($"{At(w)}'waveform' must be a list of transforms");
            else
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var t = ReadTransform(seq.Children[i], i, p);
                    if (t is not null) list.Add(t);
                }
        }
        SpecAugmentOptions? sa = null;
        if (r.Node("specaugment") is { } s)
        {
            if (s is not YamlMappingNode sm) p.Add($"{At(s)}'specaugment' must be a mapping");
            else
            {
                var q = new MapReader(sm, "specaugment", p);
                var d = new SpecAugmentOptions();
                sa = d with
                {
                    Probability = q.Double("p") ?? d.Probability,
                    FrequencyMasks = q.Int("freq_masks") ?? d.FrequencyMasks,
                    FrequencyMaskWidth = q.Int("freq_width") ?? d.FrequencyMaskWidth,
                    TimeMasks = q.Int("time_masks") ?? d.TimeMasks,
                    TimeMaskWidth = q.Int("time_width") ?? d.TimeMaskWidth,
                    MaxTimeFraction = q.Double("max_time_fraction") ?? d.MaxTimeFraction,
                    TimeWarp = q.Int("time_warp") ?? d.TimeWarp,
                    MaskValue = q.Enum<MaskValue>("mask_value") ?? d.MaskValue,
                };
                q.Finish();
                sa.Validate(p, $"{At(sm)}specaugment");
            }
        }
        MixupOptions? mix = null;
        if (r.Node("mixup") is { } mx)
        {
            if (mx is not YamlMappingNode mm) p.Add($"{At(mx)}'mixup' must be a mapping");
            else
            {
                var q = new MapReader(mm, "mixup", p);
                var d = new MixupOptions();
                mix = d with { Probability = q.Double("p") ?? d.Probability, Alpha = q.Double("alpha") ?? d.Alpha };
                q.Finish();
                mix.Validate(p, $"{At(mm)}mixup");
            }
        }
        r.Finish();
        return options with { Waveform = list, SpecAugment = sa, Mixup = mix };
    }

    private static WaveformTransformOptions? ReadTransform(YamlNode node, int index, Problems p)
    {
        if (node is not YamlMappingNode m)
        {
            p.Add($"{At(node)}waveform[{index}] must be a mapping with a 'type'");
            return null;
        }
        var r = new MapReader(m, $"waveform[{index}]", p);
        var type = r.String("type");
        if (type is null)
        {
            if (!r.Has("type")) p.Add($"{At(m)}waveform[{index}] has no 'type' (one of {string.Join(", ", TransformTypes)})");
            return null;
        }
        r.Where = $"waveform[{index}] ({type})";
        WaveformTransformOptions? t = type switch
        {
            "noise" => Read(new NoiseOptions(), r, (o, q) => o with
            {
                Kinds = q.EnumList<NoiseKind>("kinds") ?? o.Kinds,
                SnrDb = q.Range("snr_db") ?? o.SnrDb,
                BabbleTalkers = q.Range("babble_talkers") ?? o.BabbleTalkers,
                Folder = q.String("folder") ?? o.Folder,
            }),
            "gain" => Read(new GainOptions(), r, (o, q) => o with { GainDb = q.Range("gain_db") ?? o.GainDb, AllowClipping = q.Bool("allow_clipping") ?? o.AllowClipping }),
            "time_shift" => Read(new TimeShiftOptions(), r, (o, q) => o with { ShiftSeconds = q.Range("shift_s") ?? o.ShiftSeconds, Circular = q.Bool("circular") ?? o.Circular }),
            "speed" => Read(new SpeedOptions(), r, (o, q) => o with { Factor = q.Range("factor") ?? o.Factor }),
            "pitch_shift" => Read(new PitchShiftOptions(), r, (o, q) => o with { Semitones = q.Range("semitones") ?? o.Semitones }),
            "time_stretch" => Read(new TimeStretchOptions(), r, (o, q) => o with { Rate = q.Range("rate") ?? o.Rate }),
            "reverb" => Read(new ReverbOptions(), r, (o, q) => o with { Rt60Seconds = q.Range("rt60_s") ?? o.Rt60Seconds, DirectToReverberantDb = q.Range("drr_db") ?? o.DirectToReverberantDb }),
            "telephone" => Read(new TelephoneOptions(), r, (o, q) => o with { MuLawProbability = q.Double("mu_law_p") ?? o.MuLawProbability }),
            "clipping" => Read(new ClippingOptions(), r, (o, q) => o with { Level = q.Range("level") ?? o.Level }),
            _ => null,
        };
        if (t is null)
        {
            p.Add($"{At(r.Node("type")!)}waveform[{index}]: unknown transform type '{type}' (known: {string.Join(", ", TransformTypes)})");
            return null;
        }
        t.Validate(p, $"{At(m)}waveform[{index}] ({type})");
        return t;
    }

    private static T Read<T>(T defaults, MapReader r, Func<T, MapReader, T> body) where T : WaveformTransformOptions
    {
        var o = body(defaults, r) with { Probability = r.Double("p") ?? defaults.Probability };
        r.Finish();
        return o;
    }

    private static string At(YamlNode node) => $"line {node.Start.Line}, column {node.Start.Column}: ";

    /// <summary>Typed access to one mapping; remembers the keys read so that the rest can be reported as unknown.</summary>
    private sealed class MapReader(YamlMappingNode node, string where, Problems p)
    {
        private readonly HashSet<string> _read = ["type"];

        public string Where { get; set; } = where;

        public bool Has(string key) => node.Children.ContainsKey(new YamlScalarNode(key));

        public YamlNode? Node(string key)
        {
            _read.Add(key);
            return node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
        }

        private YamlScalarNode? Scalar(string key, string expected)
        {
            var n = Node(key);
            if (n is null) return null;
            if (n is YamlScalarNode s && s.Value is not null && !(s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "" or "~" or "null")) return s;
            p.Add($"{At(n)}{Where}: '{key}' must be {expected}");
            return null;
        }

        public string? String(string key) => Scalar(key, "a string")?.Value;

        public double? Double(string key)
        {
            var s = Scalar(key, "a number");
            if (s is null) return null;
            if (TryNumber(s, out var d)) return d;
            p.Add($"{At(s)}{Where}: '{key}' must be a number (got '{s.Value}')");
            return null;
        }

        public int? Int(string key)
        {
            var s = Scalar(key, "an integer");
            if (s is null) return null;
            if (s.Style == ScalarStyle.Plain && int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
            p.Add($"{At(s)}{Where}: '{key}' must be an integer (got '{s.Value}')");
            return null;
        }

        public ulong? UInt64(string key)
        {
            var s = Scalar(key, "a non-negative integer");
            if (s is null) return null;
            if (s.Style == ScalarStyle.Plain && ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var u)) return u;
            p.Add($"{At(s)}{Where}: '{key}' must be a non-negative integer (got '{s.Value}')");
            return null;
        }

        public bool? Bool(string key)
        {
            var s = Scalar(key, "true or false");
            if (s is null) return null;
            if (s.Style == ScalarStyle.Plain && s.Value is "true" or "false") return s.Value == "true";
            p.Add($"{At(s)}{Where}: '{key}' must be true or false (got '{s.Value}')");
            return null;
        }

        public TEnum? Enum<TEnum>(string key) where TEnum : struct, System.Enum
        {
            var s = Scalar(key, $"one of {Names<TEnum>()}");
            return s is null ? null : ParseEnum<TEnum>(s, key);
        }

        public IReadOnlyList<TEnum>? EnumList<TEnum>(string key) where TEnum : struct, System.Enum
        {
            var n = Node(key);
            if (n is null) return null;
            var items = n is YamlSequenceNode seq ? seq.Children.ToList() : [n];
            var result = new List<TEnum>();
            var ok = true;
            foreach (var item in items)
            {
                if (item is YamlScalarNode s && ParseEnum<TEnum>(s, key) is { } e) result.Add(e);
                else
                {
                    if (item is not YamlScalarNode) p.Add($"{At(item)}{Where}: '{key}' items must be one of {Names<TEnum>()}");
                    ok = false;
                }
            }
            return ok ? result : null;
        }

        public ParameterRange? Range(string key)
        {
            var n = Node(key);
            if (n is null) return null;
            if (n is YamlScalarNode s)
            {
                if (TryNumber(s, out var v)) return ParameterRange.Fixed(v);
            }
            else if (n is YamlSequenceNode seq && seq.Children.Count == 2
                && seq.Children[0] is YamlScalarNode a && seq.Children[1] is YamlScalarNode b
                && TryNumber(a, out var lo) && TryNumber(b, out var hi))
            {
                return new ParameterRange(lo, hi);
            }
            p.Add($"{At(n)}{Where}: '{key}' must be a number or a range [min, max]");
            return null;
        }

        public void Finish()
        {
            foreach (var k in node.Children.Keys)
            {
                var name = (k as YamlScalarNode)?.Value ?? k.ToString();
                if (!_read.Contains(name))
                    p.Add($"{At(k)}{Where}: unknown key '{name}' (known: {string.Join(", ", _read.Where(x => x != "type").Order(StringComparer.Ordinal))})");
            }
        }

        private TEnum? ParseEnum<TEnum>(YamlScalarNode s, string key) where TEnum : struct, System.Enum
        {
            var v = s.Value ?? "";
            if (!v.All(char.IsDigit) && System.Enum.TryParse<TEnum>(v.Replace("_", ""), ignoreCase: true, out var e)) return e;
            p.Add($"{At(s)}{Where}: '{key}' value '{v}' is not one of {Names<TEnum>()}");
            return null;
        }

        private static string Names<TEnum>() where TEnum : struct, System.Enum =>
            string.Join(", ", System.Enum.GetNames<TEnum>().Select(x => x.ToLowerInvariant()));

        private static bool TryNumber(YamlScalarNode s, out double d)
        {
            d = 0;
            return s.Style == ScalarStyle.Plain && s.Value is not null
                && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d);
        }
    }
}
