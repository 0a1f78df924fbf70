using System.CommandLine;

namespace SpeechEmotion.Cli.Commands;

/// <summary>
/// <c>ser bench ...</c>: end-to-end throughput measurements printing one JSON line each. Each area
/// adds its subcommand as its own file with a <c>Create()</c> and one entry in <see cref="Subcommands"/>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Factories of the <c>bench</c> subcommands.</summary>
    internal static readonly List<Func<Command>> Subcommands =
    [
        BenchFeaturesCommand.Create,
    ];

    internal static Command Create()
    {
        var cmd = new Command("bench", "Measure throughput (one JSON line per run, units comparable with PEERS.md).");
        foreach (var make in Subcommands) cmd.Subcommands.Add(make());
        return cmd;
    }
}
