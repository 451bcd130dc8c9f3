using System.Text;
using System.Text.RegularExpressions;
using CollabTraining.Domain;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CollabTraining.School.Showcase;

/// <summary>
/// The publishing form (<c>multipart/form-data</c>), read part by part straight from the request body: the report
/// streams into the showcase folder's temporary file instead of being buffered by the framework elsewhere, and every
/// text field is read with a bound. Disposing it removes a staged report that was not kept.
/// </summary>
public sealed partial class ShowcaseForm : IAsyncDisposable
{
    private const int MaxParts = 4 + ShowcaseDraft.MaxLinks + 2;

    private bool _filePartSeen;

    private ShowcaseForm()
    {
    }

    public string? Title { get; private set; }

    public string? Summary { get; private set; }

    public Guid? MilestoneId { get; private set; }

    public List<string> Links { get; } = [];

    public StagedReport? Report { get; private set; }

    public ShowcaseDraft Draft => new(Title, Summary, MilestoneId, Links);

    /// <summary>The boundary of a <c>multipart/form-data</c> body, or null when the request is not one.</summary>
    public static string? BoundaryOf(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70 ? null : boundary;
    }

    /// <summary>
    /// Reads the whole form. Throws <see cref="DomainRuleException"/> (a field at fault) or
    /// <see cref="ReportRefusedException"/> (the report's size or type), having deleted whatever it staged.
    /// </summary>
    public static async Task<ShowcaseForm> ReadAsync(HttpRequest request, string boundary, ShowcaseStore store, CancellationToken ct)
    {
        var form = new ShowcaseForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 8, HeadersLengthLimit = 8 * 1024 };
            var parts = 0;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (++parts > MaxParts)
                {
                    throw DomainRuleException.Invalid("body", $"The form has at most {MaxParts} parts.");
                }

                await form.ReadPartAsync(section, store, ct);
            }

            return form;
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await form.DisposeAsync();
            throw new ReportRefusedException(ReportRefusal.TooLarge, $"The request is larger than the {ShowcaseStore.MaxRequestLength / (1024 * 1024)} MB a showcase entry may carry.");
        }
        catch (Exception malformed) when (malformed is InvalidDataException or IOException and not BadHttpRequestException)
        {
            await form.DisposeAsync();
            throw DomainRuleException.Invalid("body", $"The multipart form cannot be read: {malformed.Message}");
        }
        catch
        {
            await form.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Report is not null)
        {
            await Report.DisposeAsync();
        }
    }

    private async Task ReadPartAsync(MultipartSection section, ShowcaseStore store, CancellationToken ct)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw DomainRuleException.Invalid("body", "Every part of the form is form-data with a name.");
        }

        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
        var hasFileName = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
        switch (name)
        {
            case "file":
                await ReadReportAsync(section, disposition, store, ct);
                break;
            case "title":
                Title = Title is null ? await TextAsync(section, name, hasFileName, ShowcaseDraft.MaxTitle, ct) : throw Twice(name);
                break;
            case "summary":
                Summary = Summary is null ? await TextAsync(section, name, hasFileName, ShowcaseDraft.MaxSummary, ct) : throw Twice(name);
                break;
            case "milestoneId":
                if (MilestoneId is not null)
                {
                    throw Twice(name);
                }

                var id = await TextAsync(section, name, hasFileName, 64, ct);
                MilestoneId = id.Length == 0 ? null
                    : Guid.TryParse(id, out var milestone) && milestone != Guid.Empty ? milestone
                    : throw DomainRuleException.Invalid(name, "A milestone id is a GUID.");
                break;
            case "links":
                var field = $"links[{Links.Count}]";
                if (Links.Count == ShowcaseDraft.MaxLinks)
                {
                    throw DomainRuleException.Invalid("links", $"An entry carries at most {ShowcaseDraft.MaxLinks} links.");
                }

                var link = await TextAsync(section, field, hasFileName, ShowcaseDraft.MaxLink, ct);
                if (link.Length > 0)
                {
                    Links.Add(link);
                }

                break;
            default:
                throw DomainRuleException.Invalid(FieldName().IsMatch(name) ? name : "body",
                    "The showcase form takes title, summary, milestoneId, links (repeated) and file; this part is none of them.");
        }
    }

    private async Task ReadReportAsync(MultipartSection section, ContentDispositionHeaderValue disposition, ShowcaseStore store, CancellationToken ct)
    {
        if (_filePartSeen)
        {
            throw DomainRuleException.Invalid("file", "An entry carries one report.");
        }

        _filePartSeen = true;
        if (!disposition.FileName.HasValue && !disposition.FileNameStar.HasValue)
        {
            throw DomainRuleException.Invalid("file", "The file part carries the report's file name (filename=\"...\").");
        }

        var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
        if (string.IsNullOrEmpty(fileName) && await section.Body.ReadAsync(new byte[1], ct) == 0)
        {
            // What a browser sends when no file was chosen.
            return;
        }

        ReportFileName.EnsureValid(fileName);
        var claimed = ReportFormat.Claimed(fileName!)
            ?? throw new ReportRefusedException(ReportRefusal.UnsupportedType, $"The showcase takes reports ending in {ReportFormat.AcceptedExtensions}; this file's name does not.");
        Report = await store.StageAsync(section.Body, fileName!, claimed, ct);
        if (Report.Length == 0)
        {
            throw DomainRuleException.Invalid("file", "The file is empty.");
        }
    }

    /// <summary>A text field, read to at most what <paramref name="maxChars"/> characters can take in UTF-8, decoded strictly and trimmed.</summary>
    private static async Task<string> TextAsync(MultipartSection section, string field, bool hasFileName, int maxChars, CancellationToken ct)
    {
        if (hasFileName)
        {
            throw DomainRuleException.Invalid(field, $"The {field} is a text field, not a file.");
        }

        var limit = (maxChars * 3) + 3;
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length <= limit && (read = await section.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        if (length > limit)
        {
            throw DomainRuleException.Invalid(field, $"The {field} is at most {maxChars} characters.");
        }

        string text;
        try
        {
            text = Strict.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw DomainRuleException.Invalid(field, $"The {field} is not valid UTF-8 text.");
        }

        return text.Trim();
    }

    private static DomainRuleException Twice(string field) => DomainRuleException.Invalid(field, $"The {field} is given twice.");

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.]{0,49}$")]
    private static partial Regex FieldName();
}
