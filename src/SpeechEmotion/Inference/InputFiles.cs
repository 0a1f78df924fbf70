using System.Text;
using System.Text.RegularExpressions;

namespace SpeechEmotion.Inference;

/// <summary>One input of a batch: the file and its path relative to the argument that named it.</summary>
/// <param name="Path">File path as found (absolute or relative to the working folder).</param>
/// <param name="RelativePath">Normalised relative path ('/' separators, no "./"): the file name for a file
/// argument, the path below the folder for a folder or glob. Used for sharding and output names.</param>
public sealed record InputFile(string Path, string RelativePath);

/// <summary>Expands FILE, DIR and GLOB arguments into a sorted, de-duplicated list of audio files.</summary>
public static class InputFiles
{
    /// <summary>Extensions picked up when a folder is given (files named directly are always taken).</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".wav", ".wave", ".rf64", ".bw64", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".webm", ".aif", ".aiff", ".wma", ".mka" };

    /// <summary>Expands <paramref name="arguments"/>; arguments that match nothing are returned in <paramref name="unmatched"/>.</summary>
    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> arguments, out IReadOnlyList<string> unmatched)
    {
        var result = new List<InputFile>();
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arg in arguments)
        {
            int before = result.Count;
            if (File.Exists(arg)) Add(arg, System.IO.Path.GetFileName(arg));
            else if (Directory.Exists(arg))
            {
                foreach (var f in Directory.EnumerateFiles(arg, "*", SearchOption.AllDirectories)
                             .Where(f => AudioExtensions.Contains(System.IO.Path.GetExtension(f)))
                             .Order(StringComparer.Ordinal))
                    Add(f, System.IO.Path.GetRelativePath(arg, f));
            }
            else if (arg.IndexOfAny(['*', '?', '[']) >= 0)
            {
                var (root, regex) = Glob(arg);
                if (Directory.Exists(root))
                    foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        var rel = Normalise(System.IO.Path.GetRelativePath(root, f));
                        if (regex.IsMatch(rel)) Add(f, rel);
                    }
            }
            if (result.Count == before && !File.Exists(arg) && !Directory.Exists(arg)) missing.Add(arg);
        }
        unmatched = missing;
        return result;

        void Add(string path, string relative)
        {
            if (seen.Add(System.IO.Path.GetFullPath(path))) result.Add(new InputFile(path, Normalise(relative)));
        }
    }

    /// <summary>'/' separators, no leading "./", no repeated separators.</summary>
    public static string Normalise(string relative)
    {
        var parts = relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return string.Join('/', parts);
    }

    /// <summary>Splits a glob into the folder before its first wildcard and a regex over the rest ('**' spans folders).</summary>
    private static (string Root, Regex Pattern) Glob(string glob)
    {
        var norm = glob.Replace('\\', '/');
        int wild = norm.IndexOfAny(['*', '?', '[']);
        int slash = norm.LastIndexOf('/', wild);
        string root = slash < 0 ? "." : slash == 0 ? "/" : norm[..slash];
        string rest = norm[(slash + 1)..];
        var sb = new StringBuilder("^");
        for (int i = 0; i < rest.Length; i++)
        {
            char ch = rest[i];
            if (ch == '*' && i + 1 < rest.Length && rest[i + 1] == '*')
            {
                bool slashAfter = i + 2 < rest.Length && rest[i + 2] == '/';
                sb.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (ch == '*') sb.Append("[^/]*");
            else if (ch == '?') sb.Append("[^/]");
            else if (ch == '[') { int end = rest.IndexOf(']', i); if (end < 0) sb.Append("\\["); else { sb.Append(rest, i, end - i + 1); i = end; } }
            else sb.Append(Regex.Escape(ch.ToString()));
        }
        sb.Append('$');
        return (root, new Regex(sb.ToString(), RegexOptions.CultureInvariant));
    }
}

/// <summary>
/// A deterministic 1/N partition of a batch (0-based index I of N shards) for job schedulers (Kubernetes
/// indexed jobs, Slurm arrays): a file belongs to shard FNV-1a-64(normalised relative path) mod N, so the
/// partition depends on neither the order nor the machine, and the N shards cover every file exactly once.
/// </summary>
/// <param name="Index">0-based shard index, 0..Count-1.</param>
/// <param name="Count">Number of shards, ≥ 1.</param>
public sealed record Shard(int Index, int Count)
{
    /// <summary>Everything in one shard.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses "I/N" (e.g. "0/4").</summary>
    /// <exception cref="InvalidOptionsException">Malformed or out of range.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new InvalidOptionsException("--shard", [$"'{text}' must be I/N with 0 ≤ I < N (0-based), e.g. 0/4"]);
    }

    /// <summary>True when the file with <paramref name="relativePath"/> belongs to this shard.</summary>
    public bool Contains(string relativePath) => Count == 1 || (int)(Hash(InputFiles.Normalise(relativePath)) % (ulong)Count) == Index;

    /// <summary>FNV-1a 64-bit hash of the UTF-8 bytes of <paramref name="text"/> (stable across runs and platforms).</summary>
    public static ulong Hash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text)) { h ^= b; h *= 1099511628211UL; }
        return h;
    }
}
