namespace SpeechEmotion.Tests;

/// <summary>
/// Locates <c>../shared</c> (datasets and reference outputs) from wherever the tests run:
/// the checkout's parent in CI, or an ancestor of a worktree. SER_SHARED overrides.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>Absolute path of the shared folder.</summary>
    public static string Dir => Root.Value;

    /// <summary>Absolute path of <paramref name="relative"/> inside the shared folder.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Dir, relative);

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("SER_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = System.IO.Path.Combine(d.FullName, "shared");
                if (Directory.Exists(System.IO.Path.Combine(candidate, "reference"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            "Cannot find the shared folder (datasets and reference outputs) beside the checkout; set SER_SHARED.");
    }
}
