using System.Security.Cryptography;
using CollabTraining.Messaging.Data;

namespace CollabTraining.School.Showcase;

/// <summary>Why a report was refused for what it is (not for how it was named): too large, or not a format the showcase takes.</summary>
public enum ReportRefusal
{
    TooLarge,
    UnsupportedType,
}

public sealed class ReportRefusedException(ReportRefusal refusal, string message) : Exception(message)
{
    public ReportRefusal Refusal { get; } = refusal;
}

/// <summary>
/// The showcase's reports on disk: <c>&lt;Database:DataDirectory&gt;/showcase/&lt;sha256 hex&gt;</c>, no extension and no
/// client name, so identical content is stored once and nothing a client sends ever becomes part of a path. A report
/// streams into a temporary file in the same folder (hashed as it is written) and is moved into place only once
/// every check passed; a refused one leaves nothing behind.
/// </summary>
public sealed class ShowcaseStore(DatabaseOptions database)
{
    /// <summary>20 MiB: a report, with its figures.</summary>
    public const long MaxReportLength = 20 * 1024 * 1024;

    /// <summary>The report plus the form's text fields, with room to spare; Kestrel refuses a larger body before it is read.</summary>
    public const long MaxRequestLength = MaxReportLength + 1024 * 1024;

    private const string TemporarySuffix = ".part";

    public string Folder { get; } = Path.Combine(Path.GetFullPath(database.DataDirectory), "showcase");

    /// <summary>The stored content of a hash; the hash is checked to be one, so no value can lead outside the folder.</summary>
    public string PathOf(string sha256) =>
        sha256.Length == 64 && sha256.All(char.IsAsciiHexDigitLower)
            ? Path.Combine(Folder, sha256)
            : throw new ArgumentException("Not a SHA-256 in lower-case hex.", nameof(sha256));

    /// <summary>
    /// Streams <paramref name="content"/> into a temporary file, hashing and probing it on the way, and stops as soon
    /// as it exceeds <see cref="MaxReportLength"/>. The temporary file is gone again when the staged report is disposed
    /// without having been kept, and when this throws.
    /// </summary>
    public async Task<StagedReport> StageAsync(Stream content, string fileName, ReportFormat claimed, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var temporary = Path.Combine(Folder, Guid.CreateVersion7().ToString("N") + TemporarySuffix);
        var staged = new StagedReport(this, temporary, fileName);
        try
        {
            var probe = new ReportContentProbe();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    if (probe.Length + read > MaxReportLength)
                    {
                        throw new ReportRefusedException(ReportRefusal.TooLarge, $"A report is at most {MaxReportLength / (1024 * 1024)} MB.");
                    }

                    probe.Append(buffer.AsSpan(0, read));
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                // Durable before any row points at it.
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            probe.Complete();
            if (!claimed.Matches(probe))
            {
                throw new ReportRefusedException(ReportRefusal.UnsupportedType,
                    $"The file is named as {claimed.Name} but its content is not {claimed.Name}; the name's extension and the content must agree.");
            }

            staged.Describe(Convert.ToHexStringLower(hash.GetHashAndReset()), claimed.ContentType, probe.Length);
            return staged;
        }
        catch
        {
            await staged.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves the staged content to its place; when the same content is stored already, the copy is dropped.</summary>
    internal void Keep(string temporary, string sha256)
    {
        var target = PathOf(sha256);
        if (File.Exists(target))
        {
            File.Delete(temporary);
            return;
        }

        try
        {
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another request stored the same content a moment ago.
            File.Delete(temporary);
        }
    }
}

/// <summary>A report streamed to a temporary file and checked; <see cref="Keep"/> stores it, disposing otherwise deletes it.</summary>
public sealed class StagedReport : IAsyncDisposable
{
    private readonly ShowcaseStore _store;
    private readonly string _temporary;
    private bool _settled;

    internal StagedReport(ShowcaseStore store, string temporary, string name)
    {
        _store = store;
        _temporary = temporary;
        Name = name;
    }

    public string Name { get; }

    public string Sha256 { get; private set; } = string.Empty;

    public string ContentType { get; private set; } = string.Empty;

    public long Length { get; private set; }

    public ShowcaseFile File => new(Sha256, Name, ContentType, Length);

    internal void Describe(string sha256, string contentType, long length)
    {
        Sha256 = sha256;
        ContentType = contentType;
        Length = length;
    }

    /// <summary>Stores the content under its hash (every check has passed).</summary>
    public void Keep()
    {
        _store.Keep(_temporary, Sha256);
        _settled = true;
    }

    public ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            _settled = true;
            try
            {
                System.IO.File.Delete(_temporary);
            }
            catch (IOException)
            {
                // Best effort: a leftover .part file is never served (nothing names it) and holds no one's data in place.
            }
        }

        return ValueTask.CompletedTask;
    }
}
