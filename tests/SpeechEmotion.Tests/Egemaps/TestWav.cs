namespace SpeechEmotion.Tests.Egemaps;

/// <summary>Minimal 16-bit PCM mono WAV reader for the eGeMAPS tests.</summary>
internal static class TestWav
{
    public static float[] Read(string path)
    {
        var b = File.ReadAllBytes(path);
        int pos = 12;
        while (pos + 8 <= b.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(b, pos, 4);
            int size = BitConverter.ToInt32(b, pos + 4);
            if (id == "data")
            {
                int n = Math.Min(size, b.Length - pos - 8) / 2;
                var x = new float[n];
                for (int i = 0; i < n; i++) x[i] = BitConverter.ToInt16(b, pos + 8 + 2 * i) / 32768f;
                return x;
            }
            pos += 8 + size + (size & 1);
        }
        throw new InvalidDataException(path);
    }
}
