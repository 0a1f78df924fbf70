using System.CommandLine;
using SpeechEmotion.Training;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser train CONFIG [--resume] [--allow-leakage]</c>: trains one model (the protocol's <c>fold</c>) and reports on its test fold.</summary>
internal static class TrainCommand
{
    internal static Command Create() => ExperimentCommand.Create("train", "Train one model from an experiment YAML (protocol.fold) and score it on that fold's test part.", RunMode.Train);
}
