using System.CommandLine;
using SpeechEmotion.Models;

namespace SpeechEmotion.Cli.Commands;

/// <summary><c>ser bench nn</c>: training and inference throughput of the seed networks (or SGEMM), one JSON line.</summary>
internal static class BenchNnCommand
{
    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = "cnn-lstm-2d | clstm-1d | functionals-mlp | sgemm", DefaultValueFactory = _ => "cnn-lstm-2d" };
        model.AcceptOnlyFromAmong("cnn-lstm-2d", "clstm-1d", "functionals-mlp", "sgemm");
        var batch = new Option<int>("--batch") { Description = "Samples per step.", DefaultValueFactory = _ => 32 };
        var steps = new Option<int>("--steps") { Description = "Timed steps after two warm-up steps.", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (default: 2 or the processor count if lower).", DefaultValueFactory = _ => Math.Min(2, Environment.ProcessorCount) };
        var cmd = new Command("nn", "Benchmark the neural-network engine on the PEERS.md architectures; prints one JSON line.");
        cmd.Options.Add(model);
        cmd.Options.Add(batch);
        cmd.Options.Add(steps);
        cmd.Options.Add(threads);
        cmd.SetAction(parse =>
        {
            var options = new ModelBenchmarkOptions
            {
                Model = parse.GetValue(model) switch
                {
                    "clstm-1d" => BenchModel.Clstm1d,
                    "functionals-mlp" => BenchModel.FunctionalsMlp,
                    "sgemm" => BenchModel.Sgemm,
                    _ => BenchModel.CnnLstm2d,
                },
                Batch = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                Threads = parse.GetValue(threads),
            };
            parse.InvocationConfiguration.Output.WriteLine(ModelBenchmark.Run(options));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
