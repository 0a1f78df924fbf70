using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SpeechEmotion.Corpora;
using SpeechEmotion.Nn;

namespace SpeechEmotion.Training;

/// <summary>A checkpoint file is unreadable: truncated, corrupt, from another configuration or format.</summary>
public sealed class CheckpointException : SpeechEmotionException
{
    /// <summary>Creates the exception; the message names the file and the problem.</summary>
    public CheckpointException(string message) : base(message) { }
}

/// <summary>
/// Everything needed to continue training exactly where it stopped: model and best-model tensors
/// (parameters and buffers), optimiser state, the epoch log and early-stopping counters. Written
/// atomically (temporary file + rename) with a SHA-256 so a kill mid-write leaves the previous one intact.
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "SERCKPT1";

    /// <summary>Configuration fingerprint (spec, preparation, options); resuming with another one is refused.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Completed epochs.</summary>
    public required int Epoch { get; init; }

    /// <summary>True when training ended (budget reached or early stop).</summary>
    public required bool Finished { get; init; }

    /// <summary>Epoch (1-based) of the best validation score so far.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Best monitored value so far.</summary>
    public required double BestValue { get; init; }

    /// <summary>Per-epoch log.</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>Optimiser state.</summary>
    public required OptimizerState Optimizer { get; init; }

    /// <summary>Current model tensors by state-dict name.</summary>
    public required IReadOnlyDictionary<string, Tensor> Model { get; init; }

    /// <summary>Best model tensors by state-dict name.</summary>
    public required IReadOnlyDictionary<string, Tensor> Best { get; init; }

    private sealed record Header(string Fingerprint, int Epoch, bool Finished, int BestEpoch, double BestValue, List<EpochRecord> History,
        long OptimizerSteps, float LearningRate, List<TensorEntry> Tensors);

    private sealed record TensorEntry(string Group, string Name, int[] Shape);

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        var entries = new List<TensorEntry>();
        var blobs = new List<float[]>();
        void Add(string group, string name, float[] data, int[] shape) { entries.Add(new(group, name, shape)); blobs.Add(data); }
        foreach (var (k, t) in Model.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Add("model", k, t.ToArray(), t.Shape.ToArray());
        foreach (var (k, t) in Best.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Add("best", k, t.ToArray(), t.Shape.ToArray());
        for (int i = 0; i < Optimizer.Buffers.Count; i++) Add("optimizer", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Optimizer.Buffers[i], [Optimizer.Buffers[i].Length]);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(Fingerprint, Epoch, Finished, BestEpoch, BestValue, History.ToList(),
            Optimizer.Steps, Optimizer.LearningRate, entries));
        using var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes(Magic));
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, header.Length);
        ms.Write(len);
        ms.Write(header);
        foreach (var b in blobs) ms.Write(MemoryMarshal.AsBytes(b.AsSpan()));
        var body = ms.ToArray();
        var hash = SHA256.HashData(body);
        var all = new byte[body.Length + hash.Length];
        body.CopyTo(all, 0);
        hash.CopyTo(all, body.Length);
        AtomicFile.WriteAllBytes(path, all);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">Missing, truncated, corrupt or not a checkpoint.</exception>
    public static Checkpoint Load(string path)
    {
        byte[] all;
        try { all = File.ReadAllBytes(path); }
        catch (IOException e) { throw new CheckpointException($"Checkpoint '{path}' cannot be read: {e.Message}"); }
        if (all.Length < Magic.Length + 4 + 32 || Encoding.ASCII.GetString(all, 0, Magic.Length) != Magic)
            throw new CheckpointException($"Checkpoint '{path}' is not a SpeechEmotion checkpoint (bad magic or too short).");
        var body = all.AsSpan(0, all.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new CheckpointException($"Checkpoint '{path}' is corrupt or truncated (checksum mismatch).");
        int hl = BinaryPrimitives.ReadInt32LittleEndian(body.Slice(Magic.Length, 4));
        if (hl <= 0 || Magic.Length + 4 + hl > body.Length) throw new CheckpointException($"Checkpoint '{path}' has a bad header length.");
        Header h;
        try { h = JsonSerializer.Deserialize<Header>(body.Slice(Magic.Length + 4, hl)) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new CheckpointException($"Checkpoint '{path}' has an unreadable header: {e.Message}"); }
        int pos = Magic.Length + 4 + hl;
        var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var best = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var opt = new List<float[]>();
        foreach (var e in h.Tensors)
        {
            long n = 1;
            foreach (var d in e.Shape) n *= d >= 0 ? d : throw new CheckpointException($"Checkpoint '{path}': negative dimension in {e.Name}.");
            if (pos + n * 4 > body.Length) throw new CheckpointException($"Checkpoint '{path}': tensor {e.Name} runs past the end of the file.");
            var data = MemoryMarshal.Cast<byte, float>(body.Slice(pos, (int)n * 4)).ToArray();
            pos += (int)n * 4;
            switch (e.Group)
            {
                case "model": model[e.Name] = Tensor.FromArray(data, e.Shape); break;
                case "best": best[e.Name] = Tensor.FromArray(data, e.Shape); break;
                default: opt.Add(data); break;
            }
        }
        if (pos != body.Length) throw new CheckpointException($"Checkpoint '{path}' has {body.Length - pos} unexpected trailing bytes.");
        return new Checkpoint
        {
            Fingerprint = h.Fingerprint, Epoch = h.Epoch, Finished = h.Finished, BestEpoch = h.BestEpoch, BestValue = h.BestValue,
            History = h.History, Optimizer = new OptimizerState(h.OptimizerSteps, h.LearningRate, opt), Model = model, Best = best,
        };
    }
}
