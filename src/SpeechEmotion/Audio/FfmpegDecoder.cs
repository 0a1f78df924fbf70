using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace SpeechEmotion.Audio;

/// <summary>
/// Decodes non-WAV formats by piping them through ffmpeg, which writes float32 WAV to its stdout; that
/// WAV goes through the built-in decoder, so channel handling and resampling are the same for every format.
/// </summary>
internal static class FfmpegDecoder
{
    private static readonly Lazy<string?> Located = new(() => Locate(Environment.GetEnvironmentVariable("PATH")));

    /// <summary>The ffmpeg executable found on PATH (or named by SER_FFMPEG), or null.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("SER_FFMPEG") is { Length: > 0 } explicitPath ? explicitPath : Located.Value;

    /// <summary>Finds an executable named ffmpeg in the directories of <paramref name="pathVariable"/>.</summary>
    internal static string? Locate(string? pathVariable)
    {
        if (string.IsNullOrEmpty(pathVariable)) return null;
        string[] names = OperatingSystem.IsWindows() ? ["ffmpeg.exe"] : ["ffmpeg"];
        foreach (var dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The message given when a non-WAV source meets a machine without ffmpeg.</summary>
    internal static string NotFoundMessage(string source) =>
        $"{source}: not a WAV file, and ffmpeg was not found on PATH to decode it. Built in: {AudioReader.BuiltInFormats}. " +
        "For MP3, FLAC, OGG/Vorbis, Opus, M4A/AAC and WebM install ffmpeg and put it on PATH " +
        "(Debian/Ubuntu: 'sudo apt-get install ffmpeg'; macOS: 'brew install ffmpeg'; Windows: 'winget install ffmpeg'), " +
        "set SER_FFMPEG to its path, or convert the file to WAV first.";

    public static AudioBuffer DecodeFile(string path, AudioReadOptions options) => Decode(null, path, options, Executable, Path.GetFullPath(path));

    public static AudioBuffer DecodeStream(Stream input, string source, AudioReadOptions options) => Decode(input, source, options, Executable, "pipe:0");

    /// <summary>Runs <paramref name="ffmpeg"/> on <paramref name="inputArg"/> (a path, or pipe:0 fed from <paramref name="input"/>).</summary>
    internal static AudioBuffer Decode(Stream? input, string source, AudioReadOptions options, string? ffmpeg, string inputArg)
    {
        if (ffmpeg is null) throw new AudioFormatException(NotFoundMessage(source));
        var psi = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        // Native rate, all channels, float32 WAV on stdout: mixing and resampling stay ours.
        foreach (var a in new[] { "-hide_banner", "-loglevel", "info" }) psi.ArgumentList.Add(a);
        if (input is null) psi.ArgumentList.Add("-nostdin");
        foreach (var a in new[] { "-i", inputArg, "-map", "0:a:0", "-vn", "-c:a", "pcm_f32le", "-f", "wav", "pipe:1" }) psi.ArgumentList.Add(a);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new AudioFormatException($"{source}: ffmpeg ({ffmpeg}) did not start.");
        }
        catch (Win32Exception e)
        {
            throw new AudioFormatException($"{source}: cannot run ffmpeg ({ffmpeg}): {e.Message}", e);
        }
        using (process)
        {
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            Task feeder = Task.CompletedTask;
            if (input is not null)
            {
                feeder = Task.Run(() =>
                {
                    try
                    {
                        input.CopyTo(process.StandardInput.BaseStream, 1 << 16);
                    }
                    catch (IOException) { /* ffmpeg stopped reading: its exit status tells why */ }
                    finally
                    {
                        try { process.StandardInput.Close(); } catch (IOException) { }
                    }
                });
            }

            AudioBuffer? decoded = null;
            AudioFormatException? wavError = null;
            try
            {
                try
                {
                    decoded = WavDecoder.Decode(process.StandardOutput.BaseStream, source, options);
                }
                catch (AudioFormatException e)
                {
                    wavError = e;
                    try { process.StandardOutput.BaseStream.CopyTo(Stream.Null); } catch (IOException) { }
                }
                process.WaitForExit();
            }
            finally
            {
                // Whatever happened, the feeder (which may read caller memory) must be finished before returning.
                if (!process.HasExited)
                {
                    try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                    process.WaitForExit();
                }
                try { feeder.Wait(); } catch (AggregateException) { }
            }
            string log;
            lock (stderr) log = stderr.ToString();
            if (process.ExitCode != 0)
                throw new AudioFormatException($"{source}: ffmpeg could not decode it (exit {process.ExitCode}): {LastLines(log, 3)}");
            if (wavError is not null) throw wavError;
            var (container, codec) = ParseInputDescription(log);
            var src = decoded!.Source with { Container = container, Encoding = AudioEncoding.Compressed, Codec = codec, BitsPerSample = 0 };
            return new AudioBuffer(decoded.Samples, decoded.SampleRate, src, decoded.Channels);
        }
    }

    /// <summary>Reads the container ("Input #0, ogg, from") and codec ("Audio: opus") from ffmpeg's log.</summary>
    internal static (string Container, string Codec) ParseInputDescription(string log)
    {
        string container = "unknown", codec = "unknown";
        bool inInput = false;
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Input #0, ", StringComparison.Ordinal))
            {
                inInput = true;
                var rest = line["Input #0, ".Length..];
                int end = rest.IndexOf(", from", StringComparison.Ordinal);
                container = end > 0 ? rest[..end] : rest;
            }
            else if (line.StartsWith("Output #", StringComparison.Ordinal)) inInput = false;
            else if (inInput && codec == "unknown" && line.StartsWith("Stream #", StringComparison.Ordinal)
                     && line.IndexOf("Audio: ", StringComparison.Ordinal) is var at and >= 0)
            {
                var rest = line[(at + "Audio: ".Length)..];
                int end = rest.IndexOfAny([' ', ',']);
                codec = end > 0 ? rest[..end] : rest;
            }
        }
        return (container, codec);
    }

    private static string LastLines(string log, int count)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no message)" : string.Join(" | ", lines.TakeLast(count));
    }
}
