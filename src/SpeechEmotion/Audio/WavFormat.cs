namespace SpeechEmotion.Audio;

/// <summary>The parsed, validated <c>fmt </c> chunk of a WAV file.</summary>
internal sealed record WavFormat(
    string Container, AudioEncoding Encoding, int BitsPerSample, int Channels, int SampleRate, int BlockAlign)
{
    /// <summary>Lowest sample rate accepted, Hz; below this a header is considered corrupt.</summary>
    public const int MinSampleRate = 1000;

    /// <summary>Highest sample rate accepted, Hz; above this a header is considered corrupt.</summary>
    public const int MaxSampleRate = 768_000;

    public const ushort TagPcm = 1, TagFloat = 3, TagALaw = 6, TagMuLaw = 7, TagExtensible = 0xFFFE;

    public string Codec => Encoding switch
    {
        AudioEncoding.PcmInteger => $"PCM {BitsPerSample}-bit",
        AudioEncoding.IeeeFloat => $"IEEE float {BitsPerSample}-bit",
        AudioEncoding.MuLaw => "G.711 mu-law",
        AudioEncoding.ALaw => "G.711 A-law",
        _ => Encoding.ToString(),
    };

    public AudioSourceFormat ToSource() => new(Container, Encoding, Codec, BitsPerSample, Channels, SampleRate);

    // The KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 trailing bytes; the first two hold the format tag.
    private static ReadOnlySpan<byte> SubtypeTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Parses and validates a fmt chunk body; every problem becomes an <see cref="AudioFormatException"/>.</summary>
    public static WavFormat Parse(ReadOnlySpan<byte> fmt, string container, string source)
    {
        if (fmt.Length < 16)
            throw new AudioFormatException($"{source}: fmt chunk is {fmt.Length} bytes; at least 16 are required.");
        ushort tag = ReadU16(fmt, 0);
        int channels = ReadU16(fmt, 2);
        uint rate = ReadU32(fmt, 4);
        int blockAlign = ReadU16(fmt, 12);
        int bits = ReadU16(fmt, 14);
        if (tag == TagExtensible)
        {
            if (fmt.Length < 40)
                throw new AudioFormatException($"{source}: WAVE_FORMAT_EXTENSIBLE fmt chunk is {fmt.Length} bytes; 40 are required.");
            int cbSize = ReadU16(fmt, 16);
            if (cbSize < 22)
                throw new AudioFormatException($"{source}: WAVE_FORMAT_EXTENSIBLE extension size is {cbSize}; 22 is required.");
            int validBits = ReadU16(fmt, 18);
            if (!fmt.Slice(26, 14).SequenceEqual(SubtypeTail))
                throw new AudioFormatException($"{source}: WAVE_FORMAT_EXTENSIBLE sub-format GUID is not a standard KSDATAFORMAT subtype; unsupported codec.");
            if (validBits > bits)
                throw new AudioFormatException($"{source}: valid bits per sample {validBits} exceed the container's {bits}.");
            tag = ReadU16(fmt, 24);
            if (tag == TagExtensible)
                throw new AudioFormatException($"{source}: WAVE_FORMAT_EXTENSIBLE sub-format is itself EXTENSIBLE.");
        }

        var encoding = tag switch
        {
            TagPcm => AudioEncoding.PcmInteger,
            TagFloat => AudioEncoding.IeeeFloat,
            TagALaw => AudioEncoding.ALaw,
            TagMuLaw => AudioEncoding.MuLaw,
            _ => throw new AudioFormatException(
                $"{source}: unsupported WAV codec {CodecName(tag)} (format tag 0x{tag:X4}); built in are PCM 8/16/24/32-bit, " +
                "IEEE float 32/64-bit, G.711 mu-law and A-law. Convert it with e.g. 'ffmpeg -i in.wav -c:a pcm_s16le out.wav'."),
        };
        if (channels == 0)
            throw new AudioFormatException($"{source}: the fmt chunk declares zero channels.");
        if (rate < MinSampleRate || rate > MaxSampleRate)
            throw new AudioFormatException($"{source}: sample rate {rate} Hz is outside the supported {MinSampleRate}–{MaxSampleRate} Hz.");
        bool bitsOk = encoding switch
        {
            AudioEncoding.PcmInteger => bits is 8 or 16 or 24 or 32,
            AudioEncoding.IeeeFloat => bits is 32 or 64,
            _ => bits == 8,
        };
        if (!bitsOk)
            throw new AudioFormatException(encoding switch
            {
                AudioEncoding.PcmInteger => $"{source}: {bits} bits per sample is not supported for PCM (8, 16, 24 or 32).",
                AudioEncoding.IeeeFloat => $"{source}: {bits} bits per sample is not supported for IEEE float (32 or 64).",
                _ => $"{source}: {bits} bits per sample is not supported for G.711 (8).",
            });
        int expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
            throw new AudioFormatException(
                $"{source}: block align {blockAlign} does not match {channels} channel(s) × {bits / 8} bytes = {expectedAlign} (block-align mismatch).");
        return new WavFormat(container, encoding, bits, channels, (int)rate, blockAlign);
    }

    private static string CodecName(ushort tag) => tag switch
    {
        0x0000 => "'unknown'",
        0x0002 => "Microsoft ADPCM",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0040 => "G.721 ADPCM",
        0x0050 => "MPEG",
        0x0055 => "MPEG layer 3 (MP3)",
        0x0064 => "G.726 ADPCM",
        0x00FF => "AAC",
        0x0161 => "Windows Media Audio",
        0xF1AC => "FLAC",
        _ => "unknown",
    };

    internal static ushort ReadU16(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    internal static uint ReadU32(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    internal static ulong ReadU64(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
