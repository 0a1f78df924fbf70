namespace SpeechEmotion.Corpora;

/// <summary>
/// Candidate search for near-identical clips without comparing every pair: each active frame's 32 fingerprint
/// bits are split into two 16-bit keys and indexed; two clips become candidates when at least
/// <see cref="MinVotes"/> keys match at frame offsets within the allowed shift. A copy altered by gain, noise
/// (≥ 10 dB SNR) or a small shift keeps dozens of exact 16-bit keys at the right offset, whereas unrelated
/// clips share almost none inside so narrow an offset window. Candidates are then scored with
/// <see cref="AudioFingerprint.Similarity"/>, so the index only decides what is compared.
/// </summary>
internal sealed class FingerprintIndex
{
    internal const int MinVotes = 3;
    private readonly Dictionary<uint, List<(int Item, int Frame)>> _postings = new();
    private readonly AudioFingerprint[] _items;
    private readonly int _maxLag;
    private readonly int _cap;

    public FingerprintIndex(AudioFingerprint[] items, double maxShiftSeconds)
    {
        _items = items;
        _maxLag = (int)Math.Ceiling(maxShiftSeconds / AudioFingerprint.Hop) + 1;
        long entries = 0;
        for (int i = 0; i < items.Length; i++)
        {
            var fp = items[i];
            for (int f = 0; f < fp.Bits.Length; f++)
            {
                if (!fp.Active[f]) continue;
                var (k1, k2) = Keys(fp.Bits[f]);
                Add(k1, i, f);
                Add(k2, i, f);
                entries += 2;
            }
        }
        // Keys far more common than average (stationary patterns) carry no identity and would make lookups quadratic.
        _cap = (int)Math.Max(256, 64 * entries / (2.0 * 65536));
    }

    private static (uint, uint) Keys(uint bits) => (bits & 0xFFFF, 0x10000u | (bits >> 16));

    private void Add(uint key, int item, int frame)
    {
        if (!_postings.TryGetValue(key, out var list)) _postings[key] = list = [];
        list.Add((item, frame));
    }

    /// <summary>Items (other than <paramref name="query"/>) with at least <see cref="MinVotes"/> key matches within the shift window.</summary>
    public List<int> Candidates(int query, Dictionary<int, int> votes)
    {
        votes.Clear();
        var fp = _items[query];
        for (int f = 0; f < fp.Bits.Length; f++)
        {
            if (!fp.Active[f]) continue;
            var (k1, k2) = Keys(fp.Bits[f]);
            Vote(k1, f, query, votes);
            Vote(k2, f, query, votes);
        }
        var result = new List<int>();
        foreach (var (item, n) in votes) if (n >= MinVotes) result.Add(item);
        return result;
    }

    private void Vote(uint key, int frame, int query, Dictionary<int, int> votes)
    {
        if (!_postings.TryGetValue(key, out var list) || list.Count > _cap) return;
        foreach (var (item, f) in list)
            if (item != query && Math.Abs(f - frame) <= _maxLag)
                votes[item] = votes.GetValueOrDefault(item) + 1;
    }
}
