using System.CommandLine;
using SpeechEmotion.Corpora;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser cache info|clear [--dir DIR]</c>: the shared feature cache.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        Option<DirectoryInfo?> Dir() => new("--dir") { Description = "Cache folder (default $SER_CACHE_DIR or ~/.cache/speechemotion/features)." };
        var infoDir = Dir();
        var verify = new Option<bool>("--verify") { Description = "Check every entry's checksum." };
        var info = new Command("info", "Entries and size per feature set.");
        info.Options.Add(infoDir);
        info.Options.Add(verify);
        info.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var i = FeatureCache.Inspect(parse.GetValue(infoDir)?.FullName ?? FeatureCache.DefaultDirectory, parse.GetValue(verify));
            o.WriteLine($"cache: {i.Directory}{(i.Exists ? "" : " (does not exist yet)")}");
            o.WriteLine($"entries: {i.Entries}, {i.Bytes / 1048576.0:F2} MiB in {i.Sets.Count} feature set(s)");
            foreach (var s in i.Sets)
                o.WriteLine($"  {s.Folder}: {s.Entries} entries, {s.Bytes / 1048576.0:F2} MiB{(s.Corrupt is { } c ? $", {c} corrupt" : "")}");
            if (i.TemporaryFiles > 0) o.WriteLine($"leftovers of interrupted writes: {i.TemporaryFiles} (removed by 'ser cache clear')");
            return ExitCodes.Ok;
        });
        var clearDir = Dir();
        var set = new Option<string?>("--feature-set") { Description = "Only clear this feature set (name, e.g. logmel)." };
        var clear = new Command("clear", "Delete cached features.");
        clear.Options.Add(clearDir);
        clear.Options.Add(set);
        clear.SetAction(parse =>
        {
            var dir = parse.GetValue(clearDir)?.FullName ?? FeatureCache.DefaultDirectory;
            var (files, bytes) = FeatureCache.Clear(dir, parse.GetValue(set));
            parse.InvocationConfiguration.Output.WriteLine($"removed {files} file(s), {bytes / 1048576.0:F2} MiB from {Path.GetFullPath(dir)}");
            return ExitCodes.Ok;
        });
        var cmd = new Command("cache", "Inspect or clear the shared feature cache.");
        cmd.Subcommands.Add(info);
        cmd.Subcommands.Add(clear);
        return cmd;
    }
}
