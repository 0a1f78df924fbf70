using System.Buffers.Binary;
using System.Text;

namespace SpeechEmotion.Inference;

/// <summary>
/// Estimates a file's duration from its header without decoding it, so that a 10-hour recording is
/// refused before 10 hours of samples are allocated. Knows RIFF/RF64 WAV; other containers return null.
/// </summary>
public static class AudioDurationProbe
{
    /// <summary>Duration in seconds claimed by the WAV header of <paramref name="path"/>, or null when the file is
    /// not WAV or the header is unusual (the decoder then reports any problem). Streamed WAVs with a size of 0 or
    /// 0xFFFFFFFF are measured by the file length.</summary>
    public static double? TryWavSeconds(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            Span<byte> head = stackalloc byte[12];
            if (f.ReadAtLeast(head, 12, throwOnEndOfStream: false) < 12) return null;
            var riff = Encoding.ASCII.GetString(head[..4]);
            if (riff is not ("RIFF" or "RF64" or "BW64") || Encoding.ASCII.GetString(head[8..12]) != "WAVE") return null;
            long byteRate = 0, ds64Data = -1;
            Span<byte> ch = stackalloc byte[8];
            Span<byte> body = stackalloc byte[28];
            for (int guard = 0; guard < 64; guard++)
            {
                if (f.ReadAtLeast(ch, 8, throwOnEndOfStream: false) < 8) return null;
                var id = Encoding.ASCII.GetString(ch[..4]);
                long size = BinaryPrimitives.ReadUInt32LittleEndian(ch[4..]);
                if (id == "data")
                {
                    if (byteRate <= 0) return null;
                    long remaining = f.Length - f.Position;
                    long data = ds64Data >= 0 && size == 0xFFFFFFFF ? ds64Data : size is 0 or 0xFFFFFFFF ? remaining : size;
                    return Math.Min(data, remaining) / (double)byteRate;
                }
                if (id is "fmt " or "ds64")
                {
                    int n = (int)Math.Min(size, body.Length);
                    if (f.ReadAtLeast(body[..n], n, throwOnEndOfStream: false) < n) return null;
                    if (id == "fmt " && n >= 12) byteRate = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
                    if (id == "ds64" && n >= 16) ds64Data = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
                    f.Seek(size - n + (size & 1), SeekOrigin.Current);
                }
                else f.Seek(size + (size & 1), SeekOrigin.Current);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
