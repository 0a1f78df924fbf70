namespace SpeechEmotion;

/// <summary>
/// Base type of every error the library raises on purpose. Callers (the CLI, the web service) map
/// this family to "bad input" rather than to a crash.
/// </summary>
public class SpeechEmotionException : Exception
{
    /// <summary>Creates the exception with a message that names the file or value and the problem.</summary>
    public SpeechEmotionException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping a lower-level cause.</summary>
    public SpeechEmotionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Raised when an options record fails validation. Lists every problem found, not only the first,
/// so a user fixes a configuration in one pass.
/// </summary>
public sealed class InvalidOptionsException : SpeechEmotionException
{
    /// <summary>Creates the exception for <paramref name="optionsName"/> with all its problems.</summary>
    public InvalidOptionsException(string optionsName, IReadOnlyList<string> problems)
        : base($"Invalid {optionsName}: " + string.Join("; ", problems))
    {
        OptionsName = optionsName;
        Problems = problems;
    }

    /// <summary>The name of the options type or configuration that failed.</summary>
    public string OptionsName { get; }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>
/// Collects validation problems so that an options record can report all of them in one
/// <see cref="InvalidOptionsException"/>.
/// </summary>
public sealed class Problems
{
    private readonly List<string> _items = [];

    /// <summary>Adds <paramref name="message"/> when <paramref name="ok"/> is false.</summary>
    public Problems Require(bool ok, string message)
    {
        if (!ok) _items.Add(message);
        return this;
    }

    /// <summary>Adds a problem unconditionally.</summary>
    public Problems Add(string message)
    {
        _items.Add(message);
        return this;
    }

    /// <summary>True when no problem has been recorded.</summary>
    public bool IsEmpty => _items.Count == 0;

    /// <summary>Throws <see cref="InvalidOptionsException"/> listing every problem, if any.</summary>
    public void ThrowIfAny(string optionsName)
    {
        if (_items.Count > 0) throw new InvalidOptionsException(optionsName, _items.ToArray());
    }
}
