using System.Diagnostics;
using SpeechEmotion.Evaluation;
using SpeechEmotion.Models;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Training;

/// <summary>One line of the training log.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss (all heads, weighted).</param>
/// <param name="TrainUa">UA of the training predictions made during the epoch (dropout on).</param>
/// <param name="ValidationLoss">Mean emotion cross-entropy on the validation set.</param>
/// <param name="ValidationUa">Validation UA.</param>
/// <param name="ValidationWa">Validation WA.</param>
/// <param name="LearningRate">Rate used during the epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="Best">True when this epoch became the best so far.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainUa, double ValidationLoss, double ValidationUa, double ValidationWa,
    double LearningRate, double Seconds, bool Best);

/// <summary>What a fit produced.</summary>
/// <param name="History">Per-epoch log (including epochs before a resume).</param>
/// <param name="BestEpoch">Epoch whose weights the model now holds.</param>
/// <param name="StoppedEarly">True when patience ran out before the epoch budget.</param>
/// <param name="Seconds">Total training wall time over all sessions.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int BestEpoch, bool StoppedEarly, double Seconds);

/// <summary>Receives progress; the CLI draws a progress bar from it. Calls come from the training thread.</summary>
public interface ITrainingObserver
{
    /// <summary>After each mini-batch: epoch (1-based), batches done, batches per epoch, running mean loss and UA.</summary>
    void OnBatch(int epoch, int batch, int batches, double loss, double ua);

    /// <summary>After each epoch's validation.</summary>
    void OnEpoch(EpochRecord record, int epochs);
}

/// <summary>
/// Fits an <see cref="EmotionModel"/>: seeded shuffled mini-batches (or class-balanced sampling), weighted
/// multitask loss, clipping, optimiser and schedule, validation every epoch with early stopping and
/// restore of the best weights — selected on the validation set only; the test set never reaches the
/// trainer. With a checkpoint path the complete state is saved atomically after every epoch, and
/// <c>resume</c> continues from it to the same result as an uninterrupted run.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> in place and leaves it holding the best validation weights, in eval mode.</summary>
    /// <param name="model">Freshly created model (from <see cref="ModelZoo.Create"/> with the run's seed).</param>
    /// <param name="prep">Input preparation fitted on <paramref name="train"/>.</param>
    /// <param name="train">Training part.</param>
    /// <param name="validation">Validation part (drawn from the training side of the split).</param>
    /// <param name="options">Optimisation options.</param>
    /// <param name="checkpointPath">Checkpoint file, or null for none.</param>
    /// <param name="resume">Continue from <paramref name="checkpointPath"/> when it exists.</param>
    /// <param name="observer">Progress receiver, or null.</param>
    /// <param name="cancel">Cancellation (checked between batches; the last epoch's checkpoint stays valid).</param>
    /// <param name="augmentation">Online augmentation of training batches (SpecAugment per utterance on frame-level inputs,
    /// mixup per batch), seeded by (recipe seed, epoch, utterance/batch); its training part must hold <paramref name="train"/>'s
    /// ids. Null for none. Validation is never augmented.</param>
    /// <exception cref="CheckpointException">The checkpoint belongs to another configuration or is damaged.</exception>
    public static TrainingResult Fit(EmotionModel model, InputPreparation prep, LabelledSet train, LabelledSet validation, TrainerOptions options,
        string? checkpointPath = null, bool resume = false, ITrainingObserver? observer = null, CancellationToken cancel = default,
        Augmentation.AugmentationPipeline? augmentation = null)
    {
        options.Validate();
        if (train.Count < 2) throw new InvalidOptionsException("training data", [$"need at least 2 training utterances, got {train.Count}"]);
        if (validation.Count < 1) throw new InvalidOptionsException("training data", ["the validation part is empty"]);
        int classes = model.Spec?.Classes ?? model.Forward(prep.Prepare([train.Features[0]], new int[1])).Dim(1);
        var parameters = model.Parameters();
        Optimizer opt = options.Optimizer switch
        {
            OptimizerKind.Sgd => new Sgd(parameters, options.LearningRate, options.Momentum, options.Nesterov, options.WeightDecay),
            OptimizerKind.AdamW => Adam.AdamW(parameters, options.LearningRate, options.WeightDecay),
            _ => new Adam(parameters, options.LearningRate, weightDecay: options.WeightDecay),
        };
        LrSchedule? schedule = options.Schedule switch
        {
            ScheduleKind.Step => new StepLr(opt, options.StepSize, options.Gamma),
            ScheduleKind.Cosine => new CosineLr(opt, options.Epochs, options.MinLearningRate),
            ScheduleKind.Plateau => new ReduceOnPlateau(opt, options.Gamma, options.PlateauPatience, maximize: options.Monitor != MonitorMetric.Loss, minLr: options.MinLearningRate),
            _ => null,
        };
        var fingerprint = Fingerprint(model, prep, options, train, validation, augmentation);
        var history = new List<EpochRecord>();
        int bestEpoch = 0, bad = 0, start = 0;
        bool higher = options.Monitor != MonitorMetric.Loss, finished = false;
        double bestValue = higher ? double.NegativeInfinity : double.PositiveInfinity;
        var best = CloneState(model);
        if (resume && checkpointPath is not null && File.Exists(checkpointPath))
        {
            var ck = Checkpoint.Load(checkpointPath);
            if (ck.Fingerprint != fingerprint)
                throw new CheckpointException($"Checkpoint '{checkpointPath}' was written for another configuration or data; delete it or train without --resume.");
            model.LoadStateDict(ck.Model);
            best = ck.Best.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal);
            history.AddRange(ck.History);
            foreach (var r in history) schedule?.Step(Monitored(r, options.Monitor));
            opt.ImportState(ck.Optimizer);
            (start, bestEpoch, bestValue, finished) = (ck.Epoch, ck.BestEpoch, ck.BestValue, ck.Finished);
            bad = start - bestEpoch;
        }

        var classWeights = options.Balance == ClassBalance.Weights ? ClassWeights(train.Labels, classes) : null;
        var loop = new Loop(model, prep, train, options, classWeights, classes, augmentation);
        for (int epoch = start + 1; epoch <= options.Epochs && !finished; epoch++)
        {
            var sw = Stopwatch.StartNew();
            double lr = opt.LearningRate;
            ulong epochSeed = Mix(options.Seed, (ulong)epoch);
            SeededDropout.ReseedAll(model, epochSeed);
            model.Train();
            var (trainLoss, trainUa) = loop.RunEpoch(opt, options, epochSeed, epoch, observer, cancel);
            var (vLoss, vReport) = Evaluate(model, prep, validation, classes, options.BatchSize);
            var rec = new EpochRecord(epoch, trainLoss, trainUa, vLoss, vReport.UnweightedAverageRecall, vReport.WeightedAccuracy, lr, sw.Elapsed.TotalSeconds, false);
            double value = Monitored(rec, options.Monitor);
            bool improved = higher ? value > bestValue + 1e-12 : value < bestValue - 1e-12;
            if (improved)
            {
                (bestValue, bestEpoch, bad) = (value, epoch, 0);
                best = CloneState(model);
                rec = rec with { Best = true };
            }
            else bad++;
            history.Add(rec);
            schedule?.Step(value);
            finished = epoch == options.Epochs || options.Patience > 0 && bad >= options.Patience;
            if (checkpointPath is not null)
                new Checkpoint
                {
                    Fingerprint = fingerprint, Epoch = epoch, Finished = finished, BestEpoch = bestEpoch, BestValue = bestValue,
                    History = history, Optimizer = opt.ExportState(), Model = model.StateDict(), Best = best,
                }.Save(checkpointPath);
            observer?.OnEpoch(rec, options.Epochs);
        }
        model.LoadStateDict(best);
        model.Eval();
        bool early = history.Count > 0 && history[^1].Epoch < options.Epochs;
        return new TrainingResult(history, bestEpoch, early, history.Sum(h => h.Seconds));
    }

    /// <summary>Predicted classes, class probabilities [n, classes] and mean cross-entropy of <paramref name="data"/>.</summary>
    public static (int[] Predicted, float[] Probabilities, double Loss) Predict(EmotionModel model, InputPreparation prep, LabelledSet data, int classes, int batchSize = 64)
    {
        model.Eval();
        int n = data.Count;
        var pred = new int[n];
        var probs = new float[n * classes];
        double loss = 0;
        var lengths = new int[Math.Max(1, batchSize)];
        var node = new LossNode("validation");
        using var _ = Autograd.NoGrad();
        var items = new List<Features.FeatureMatrix>(batchSize);
        for (int s = 0; s < n; s += batchSize)
        {
            int b = Math.Min(batchSize, n - s);
            items.Clear();
            for (int i = 0; i < b; i++) items.Add(data.Features[s + i]);
            var x = prep.Prepare(items, lengths);
            var logits = model.Forward(x, lengths.AsSpan(0, b)).Logits;
            loss += Losses.CrossEntropy(node, logits, data.Labels.AsSpan(s, b))[0] * b;
            var ls = logits.Span;
            for (int i = 0; i < b; i++)
            {
                var row = ls.Slice(i * classes, classes);
                float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.Exp(row[c] - max);
                int arg = 0;
                for (int c = 0; c < classes; c++)
                {
                    probs[(s + i) * classes + c] = (float)(Math.Exp(row[c] - max) / sum);
                    if (row[c] > row[arg]) arg = c;
                }
                pred[s + i] = arg;
            }
        }
        return (pred, probs, loss / Math.Max(1, n));
    }

    private static (double Loss, ClassificationReport Report) Evaluate(EmotionModel model, InputPreparation prep, LabelledSet data, int classes, int batchSize)
    {
        var (pred, _, loss) = Predict(model, prep, data, classes, batchSize);
        return (loss, ClassificationMetrics.Compute(data.Labels, pred, classes));
    }

    private static double Monitored(EpochRecord r, MonitorMetric m) => m switch
    {
        MonitorMetric.Loss => r.ValidationLoss,
        MonitorMetric.Wa => r.ValidationWa,
        MonitorMetric.Last => r.Epoch,
        _ => r.ValidationUa,
    };

    /// <summary>N / (classes · count) per class from the training labels (0 for absent classes).</summary>
    public static float[] ClassWeights(IReadOnlyList<int> labels, int classes)
    {
        var counts = new int[classes];
        foreach (var y in labels) counts[y]++;
        return counts.Select(c => c == 0 ? 0f : (float)labels.Count / (classes * c)).ToArray();
    }

    internal static ulong Mix(ulong a, ulong b)
    {
        var r = new SplitMix(a * 0x9E3779B97F4A7C15UL ^ (b + 0x632BE59BD9B4E019UL));
        return r.NextULong();
    }

    private static Dictionary<string, Tensor> CloneState(Module m) =>
        m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal);

    private static string Fingerprint(EmotionModel model, InputPreparation prep, TrainerOptions o, LabelledSet train, LabelledSet val,
        Augmentation.AugmentationPipeline? augmentation)
    {
        var a = augmentation?.Options;
        var text = string.Join("\n", model.Spec?.ToJson() ?? model.GetType().Name, prep.ToJson(), System.Text.Json.JsonSerializer.Serialize(o),
            train.Count, val.Count, string.Join(",", train.Labels.Take(64)), string.Join(",", train.Ids?.Take(64) ?? []),
            a is null ? "" : $"{a.Seed} {a.SpecAugment} {a.Mixup}",
            // Augmented copies change the features, not the count: a cheap checksum keeps a checkpoint from resuming on other data.
            train.Features.Sum(m => m.Data.Length == 0 ? 0 : (double)m.Data[0] + m.Data[^1] + m.Data[m.Data.Length / 2]).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The per-epoch mini-batch loop with its reusable buffers and loss nodes.</summary>
    private sealed class Loop(EmotionModel model, InputPreparation prep, LabelledSet train, TrainerOptions o, float[]? classWeights, int classes,
        Augmentation.AugmentationPipeline? augmentation)
    {
        private readonly bool _specAugment = augmentation?.Options.SpecAugment is not null && prep.Mode != LengthMode.Vector;
        private readonly bool _mixup = augmentation?.Options.Mixup is not null;
        private readonly string[] _ids = new string[o.BatchSize];
        private readonly int[] _perm = new int[o.BatchSize], _yMixed = new int[o.BatchSize];
        private readonly float[] _oneHot = new float[o.BatchSize * classes], _oneHotOut = new float[o.BatchSize * classes], _scratch = new float[o.BatchSize];
        private readonly LossNode _ceMixed = new("emotion-mixup");
        private float _lambda = 1f;
        private readonly int[] _order = new int[train.Count];
        private readonly int[] _lengths = new int[o.BatchSize];
        private readonly int[] _y = new int[o.BatchSize];
        private readonly float[] _ab = new float[o.BatchSize], _vb = new float[o.BatchSize], _ar = new float[o.BatchSize], _vr = new float[o.BatchSize];
        private readonly List<Features.FeatureMatrix> _items = new(o.BatchSize);
        private readonly LossNode _ce = new("emotion"), _aBin = new("arousal-binary"), _vBin = new("valence-binary"), _aReg = new("arousal"), _vReg = new("valence");
        private readonly WeightedSumNode _sum = new();
        private readonly List<Tensor> _terms = new(5);
        private readonly List<float> _weights = new(5);
        private readonly int[] _confusionTruth = new int[train.Count], _confusionPred = new int[train.Count];

        public (double Loss, double Ua) RunEpoch(Optimizer opt, TrainerOptions options, ulong seed, int epoch, ITrainingObserver? observer, CancellationToken cancel)
        {
            var rng = new SplitMix(seed);
            int n = train.Count;
            if (options.Balance == ClassBalance.Sampling) BalancedDraw(ref rng);
            else
            {
                for (int i = 0; i < n; i++) _order[i] = i;
                for (int i = n - 1; i > 0; i--) { int j = (int)(rng.NextULong() % (ulong)(i + 1)); (_order[i], _order[j]) = (_order[j], _order[i]); }
            }
            int bs = options.BatchSize, batches = (n + bs - 1) / bs, seen = 0;
            // A last batch of one sample would give batch norm a zero variance: fold it into the previous one's epoch remainder.
            if (n % bs == 1 && batches > 1) batches--;
            double lossSum = 0;
            var parameters = opt.Parameters;
            for (int bi = 0; bi < batches; bi++)
            {
                cancel.ThrowIfCancellationRequested();
                int s = bi * bs, b = Math.Min(bs, n - s);
                if (b < 2) break;
                _items.Clear();
                for (int i = 0; i < b; i++)
                {
                    int k = _order[s + i];
                    _items.Add(train.Features[k]);
                    _y[i] = train.Labels[k];
                    if (augmentation is not null) _ids[i] = Id(k);
                    _ab[i] = train.ArousalHigh[k]; _vb[i] = train.ValencePositive[k];
                    _ar[i] = train.Arousal?[k] ?? float.NaN; _vr[i] = train.Valence?[k] ?? float.NaN;
                }
                if (_specAugment) SpecAugmentBatch(b, epoch);
                var x = prep.Prepare(_items, _lengths);
                _lambda = 1f;
                if (_mixup) MixBatch(x, b, epoch, bi);
                opt.ZeroGrad();
                var output = model.Forward(x, model.UsesLengths ? _lengths.AsSpan(0, b) : default);
                var loss = BuildLoss(output, b, options.LossWeights);
                double value = loss[0];
                if (!double.IsFinite(value)) throw new NonFiniteException($"Epoch {epoch}, batch {bi + 1}: the training loss is {value}; lower the learning rate or enable clipping.");
                Autograd.Backward(loss);
                if (options.ClipNorm > 0) GradClip.ByNorm(parameters, options.ClipNorm);
                opt.Step();
                var ls = output.Logits.Span;
                for (int i = 0; i < b; i++)
                {
                    var row = ls.Slice(i * classes, classes);
                    int arg = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[arg]) arg = c;
                    _confusionTruth[seen + i] = _y[i];
                    _confusionPred[seen + i] = arg;
                }
                seen += b;
                lossSum += value * b;
                if (observer is not null)
                    observer.OnBatch(epoch, bi + 1, batches, lossSum / seen, Ua(seen));
            }
            return (lossSum / Math.Max(1, seen), Ua(seen));
        }

        private string Id(int k) => train.Ids?[k] ?? k.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Masks a copy (the stored features stay clean); epoch is 0-based for the pipeline's seeds.
        private void SpecAugmentBatch(int b, int epoch)
        {
            for (int i = 0; i < b; i++)
            {
                var m = _items[i];
                var copy = new Features.FeatureMatrix(m.Frames, m.Features, (float[])m.Data.Clone(), m.FeatureNames);
                augmentation!.ApplyFeatures(_ids[i], epoch - 1, copy);
                _items[i] = copy;
            }
        }

        // Inputs are mixed in place after preparation (standardised, padded); the labels become the pair (y, y[π]) with weight λ.
        private void MixBatch(Tensor x, int b, int epoch, int batch)
        {
            var span = x.Span;
            var buffer = System.Buffers.ArrayPool<float>.Shared.Rent(span.Length);
            try
            {
                Array.Clear(_oneHot);
                for (int i = 0; i < b; i++) _oneHot[i * classes + _y[i]] = 1;
                var ids = new ArraySegment<string>(_ids, 0, b);
                _lambda = augmentation!.MixBatch(ids, epoch - 1, batch, span, _oneHot.AsSpan(0, b * classes), buffer.AsSpan(0, span.Length),
                    _oneHotOut.AsSpan(0, b * classes), _perm.AsSpan(0, b));
                buffer.AsSpan(0, span.Length).CopyTo(span);
                for (int i = 0; i < b; i++)
                {
                    int j = _perm[i];
                    _yMixed[i] = _y[j];
                    if (model.UsesLengths) _lengths[i] = Math.Max(_lengths[i], _lengths[j]);
                }
                MixTargets(_ab, b); MixTargets(_vb, b); MixTargets(_ar, b); MixTargets(_vr, b);
            }
            finally { System.Buffers.ArrayPool<float>.Shared.Return(buffer); }
        }

        // Auxiliary targets mix like the labels (a NaN side, i.e. an unknown dimensional value, keeps the result unknown).
        private void MixTargets(float[] t, int b)
        {
            var before = _scratch.AsSpan(0, b);
            t.AsSpan(0, b).CopyTo(before);
            for (int i = 0; i < b; i++) t[i] = _lambda * before[i] + (1 - _lambda) * before[_perm[i]];
        }

        private double Ua(int seen) => seen == 0 ? 0 : ClassificationMetrics.Compute(_confusionTruth.AsSpan(0, seen), _confusionPred.AsSpan(0, seen), classes).UnweightedAverageRecall;

        private Tensor BuildLoss(ModelOutput output, int b, LossWeights w)
        {
            _terms.Clear(); _weights.Clear();
            _terms.Add(Losses.CrossEntropy(_ce, output.Logits, _y.AsSpan(0, b), classWeights, o.LabelSmoothing));
            _weights.Add(w.Emotion * _lambda);
            // Mixup: CE against the mixed label distribution = λ·CE(y) + (1 − λ)·CE(y[π]).
            if (_lambda < 1f)
            {
                _terms.Add(Losses.CrossEntropy(_ceMixed, output.Logits, _yMixed.AsSpan(0, b), classWeights, o.LabelSmoothing));
                _weights.Add(w.Emotion * (1 - _lambda));
            }
            if (output.ArousalLogit is { } al && w.ArousalBinary > 0) { _terms.Add(Losses.BceWithLogits(_aBin, al, _ab.AsSpan(0, b))); _weights.Add(w.ArousalBinary); }
            if (output.ValenceLogit is { } vl && w.ValenceBinary > 0) { _terms.Add(Losses.BceWithLogits(_vBin, vl, _vb.AsSpan(0, b))); _weights.Add(w.ValenceBinary); }
            if (output.Arousal is { } ar && w.Arousal > 0) { FillMissing(_ar, ar, b); _terms.Add(Losses.Mse(_aReg, ar, _ar.AsSpan(0, b))); _weights.Add(w.Arousal); }
            if (output.Valence is { } vr && w.Valence > 0) { FillMissing(_vr, vr, b); _terms.Add(Losses.Mse(_vReg, vr, _vr.AsSpan(0, b))); _weights.Add(w.Valence); }
            if (_terms.Count == 1 && w.Emotion == 1f) return _terms[0];
            return _sum.Forward(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_terms), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_weights));
        }

        // Utterances without a dimensional value contribute no regression gradient: their target is the prediction itself.
        private static void FillMissing(float[] target, Tensor pred, int b)
        {
            for (int i = 0; i < b; i++) if (float.IsNaN(target[i])) target[i] = pred[i];
        }

        private void BalancedDraw(ref SplitMix rng)
        {
            var byClass = Enumerable.Range(0, classes).Select(c => new List<int>()).ToArray();
            for (int i = 0; i < train.Count; i++) byClass[train.Labels[i]].Add(i);
            var present = byClass.Where(l => l.Count > 0).ToArray();
            for (int i = 0; i < _order.Length; i++)
            {
                var list = present[(int)(rng.NextULong() % (ulong)present.Length)];
                _order[i] = list[(int)(rng.NextULong() % (ulong)list.Count)];
            }
        }
    }
}
