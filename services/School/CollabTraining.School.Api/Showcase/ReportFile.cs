using System.Text;
using CollabTraining.Domain;

namespace CollabTraining.School.Showcase;

/// <summary>
/// The name a client gives its report. It is metadata only (shown, and offered back on download), never part of
/// a path: a name that looks like one — a separator, <c>..</c>, a drive, a control character — is refused outright
/// rather than cleaned, so what the team sees is what they sent.
/// </summary>
public static class ReportFileName
{
    public const int MaxLength = 200;

    /// <summary>Why the name is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The file needs a name.";
        }

        if (name.Length > MaxLength)
        {
            return $"A file name is at most {MaxLength} characters; this one has {name.Length}.";
        }

        if (name.Any(c => char.IsControl(c) || PlainText.IsForbidden(c)))
        {
            return "A file name holds no control or invisible formatting characters.";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            return "A file name is a name, not a path: no '/', '\\' or '..'.";
        }

        if (name.Contains(':', StringComparison.Ordinal) || Path.IsPathRooted(name))
        {
            return "A file name holds no drive or stream name (':').";
        }

        return name != name.Trim() ? "A file name neither starts nor ends with a space." : null;
    }

    public static void EnsureValid(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw DomainRuleException.Invalid("file", problem);
        }
    }
}

/// <summary>
/// A kind of report the showcase takes: the name must end with one of its extensions and the content must be what
/// the extension says (both, or the file is refused). Only formats a browser will not run are here.
/// </summary>
public sealed class ReportFormat
{
    private readonly Func<ReportContentProbe, bool> _matches;

    private ReportFormat(string name, string contentType, string[] extensions, Func<ReportContentProbe, bool> matches)
    {
        Name = name;
        ContentType = contentType;
        Extensions = extensions;
        _matches = matches;
    }

    public static readonly ReportFormat Pdf = new("PDF", "application/pdf", [".pdf"], p => p.StartsWith("%PDF-"u8));

    public static readonly ReportFormat Png = new("PNG image", "image/png", [".png"], p => p.StartsWith([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));

    public static readonly ReportFormat Jpeg = new("JPEG image", "image/jpeg", [".jpg", ".jpeg"], p => p.StartsWith([0xFF, 0xD8, 0xFF]));

    public static readonly ReportFormat Text = new("plain text", "text/plain; charset=utf-8", [".txt"], p => p.IsUtf8Text);

    public static readonly ReportFormat Markdown = new("Markdown", "text/markdown; charset=utf-8", [".md", ".markdown"], p => p.IsUtf8Text);

    public static readonly IReadOnlyList<ReportFormat> All = [Pdf, Png, Jpeg, Text, Markdown];

    public string Name { get; }

    public string ContentType { get; }

    public IReadOnlyList<string> Extensions { get; }

    public static string AcceptedExtensions => string.Join(", ", All.SelectMany(f => f.Extensions));

    /// <summary>The format the name claims, or null when its extension is not one the showcase takes.</summary>
    public static ReportFormat? Claimed(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        return All.FirstOrDefault(f => f.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Whether the content (as probed, to its end) is what this format says.</summary>
    public bool Matches(ReportContentProbe probe) => _matches(probe);
}

/// <summary>
/// What the content of a file is, learnt while it streams past once: its first bytes (the signature of a binary
/// format) and whether all of it is UTF-8 text without NUL bytes.
/// </summary>
public sealed class ReportContentProbe
{
    private const int HeadLength = 16;

    private readonly byte[] _head = new byte[HeadLength];
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private char[] _chars = [];
    private int _headLength;
    private bool _completed;

    public long Length { get; private set; }

    /// <summary>Valid UTF-8 from start to end, with no NUL byte; known once <see cref="Complete"/> ran.</summary>
    public bool IsUtf8Text { get; private set; } = true;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The probe has seen the whole content already.");
        }

        if (_headLength < HeadLength)
        {
            var take = Math.Min(HeadLength - _headLength, bytes.Length);
            bytes[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }

        Length += bytes.Length;
        if (IsUtf8Text)
        {
            IsUtf8Text = !bytes.Contains((byte)0) && Decodes(bytes, flush: false);
        }
    }

    public void Complete()
    {
        if (!_completed && IsUtf8Text)
        {
            // A multi-byte sequence cut off at the end is not text.
            IsUtf8Text = Decodes([], flush: true);
        }

        _completed = true;
    }

    public bool StartsWith(ReadOnlySpan<byte> signature) => _head.AsSpan(0, _headLength).StartsWith(signature);

    private bool Decodes(ReadOnlySpan<byte> bytes, bool flush)
    {
        // At most one char per byte, plus what a sequence left open by the previous chunk completes to.
        if (_chars.Length < bytes.Length + 4)
        {
            _chars = new char[bytes.Length + 4];
        }

        try
        {
            _utf8.GetChars(bytes, _chars, flush);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
