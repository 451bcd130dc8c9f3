using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CsvHelper;

namespace CollabTraining.School.Students;

/// <summary>
/// One row of the school's student register as a CSV file holds it; every field is read as text and checked by
/// <see cref="StudentRegister"/>, so a bad value is reported with its row and column instead of failing the read.
/// CsvHelper's source generator writes the mapping; the optional columns have defaults.
/// </summary>
[CsvRecord]
public sealed partial record StudentRegisterRow(string StudentNumber, string Name, string Programme, string StudyYear, string Cohort = "", string UserId = "");

/// <summary>What is wrong with one field of the register: <c>row</c> is the line of the file (the header is row 1).</summary>
public sealed record RegisterError(long Row, string Column, string Message);

/// <summary>A valid student of the register, ready to be enrolled or updated.</summary>
public sealed record RegisterEntry(Guid UserId, string StudentNumber, string Name, string Programme, int StudyYear, string? Cohort);

/// <summary>
/// The rules a register file must follow to be imported: its header names the columns (any order, any case;
/// <c>cohort</c> and <c>userId</c> optional, nothing else), and each row has a student number, a name, a programme
/// the school runs and a study year from 1 to 6; no student number or user id appears twice, and a student number
/// the school already gave to another user stays theirs. It only collects errors: a file with any is not imported.
/// </summary>
public sealed class StudentRegister
{
    public const int MaxListedErrors = 100;

    public static readonly string[] RequiredColumns = ["studentNumber", "name", "programme", "studyYear"];

    public static readonly string[] OptionalColumns = ["cohort", "userId"];

    private readonly Dictionary<string, int> _lineOfNumber = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, int> _lineOfUser = [];
    private readonly IReadOnlyDictionary<string, Guid> _existingNumbers;
    private readonly DateTimeOffset _now;

    /// <param name="existingNumbers">Every student number the school holds, with its student's user id (compared ignoring case).</param>
    public StudentRegister(IReadOnlyDictionary<string, Guid> existingNumbers, DateTimeOffset now)
    {
        _existingNumbers = existingNumbers;
        _now = now;
    }

    public List<RegisterEntry> Entries { get; } = [];

    /// <summary>The first <see cref="MaxListedErrors"/> errors, in file order.</summary>
    public List<RegisterError> Errors { get; } = [];

    public int ErrorCount { get; private set; }

    /// <summary>Checks the header row: every required column present once, no column the register does not have.</summary>
    public void CheckHeader(IEnumerable<string> header)
    {
        var known = RequiredColumns.Concat(OptionalColumns).ToDictionary(c => c, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in header)
        {
            var name = raw.Trim();
            if (!known.TryGetValue(name, out var column))
            {
                Fail(1, name, $"'{name}' is not a column of the register; the columns are {string.Join(", ", known.Keys)}.");
            }
            else if (!seen.Add(name))
            {
                Fail(1, column, "The column appears twice in the header.");
            }
        }

        foreach (var missing in RequiredColumns.Where(c => !seen.Contains(c)))
        {
            Fail(1, missing, "The header lacks this required column.");
        }
    }

    /// <summary>A data row with more fields than the header has columns: which column each value belongs to is unknown.</summary>
    public void TooManyFields(int line, int fields, int columns) =>
        Fail(line, "row", $"The row has {fields} fields; the header names {columns} columns.");

    /// <summary>Checks one data row found at <paramref name="line"/>; a valid one joins <see cref="Entries"/>.</summary>
    public void Add(StudentRegisterRow row, int line)
    {
        var before = ErrorCount;
        var number = Text(row.StudentNumber, "studentNumber", Student.MaxNumberLength, line, required: true);
        var name = Text(row.Name, "name", Student.MaxNameLength, line, required: true);
        var programme = Text(row.Programme, "programme", 60, line, required: true)?.ToLowerInvariant();
        if (programme is { Length: > 0 } && !ReferenceCodes.Programmes.ContainsKey(programme))
        {
            Fail(line, "programme", $"'{programme}' is not a programme of the school ({string.Join(", ", ReferenceCodes.Programmes.Keys)}).");
        }

        var yearText = row.StudyYear.Trim();
        var year = 0;
        if (yearText.Length == 0)
        {
            Fail(line, "studyYear", "A study year is required.");
        }
        else if (!int.TryParse(yearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year) || year is < 1 or > 6)
        {
            Fail(line, "studyYear", "The study year is a whole number from 1 to 6.");
        }

        var cohort = Text(row.Cohort, "cohort", Student.MaxCohortLength, line, required: false);
        var userText = row.UserId.Trim();
        var userId = Guid.Empty;
        if (userText.Length == 0)
        {
            userId = Guid.CreateVersion7(_now);
        }
        else if (!Guid.TryParse(userText, out userId) || userId == Guid.Empty)
        {
            Fail(line, "userId", "The user id is a GUID such as 0195f3a2-7c1e-7d4b-9a51-3f0c2e8b1d47 (or empty for a new user).");
        }
        else if (_lineOfUser.TryGetValue(userId, out var firstUserLine))
        {
            Fail(line, "userId", $"This user id is already on row {firstUserLine}.");
        }
        else
        {
            _lineOfUser[userId] = line;
        }

        if (number is { Length: > 0 })
        {
            if (_lineOfNumber.TryGetValue(number, out var firstLine))
            {
                Fail(line, "studentNumber", $"This student number is already on row {firstLine}.");
            }
            else
            {
                _lineOfNumber[number] = line;
                if (_existingNumbers.TryGetValue(number, out var holder) && holder != userId && userId != Guid.Empty)
                {
                    Fail(line, "studentNumber", $"Student number {number} belongs to another student (user {holder}).");
                }
            }
        }

        if (ErrorCount == before)
        {
            Entries.Add(new RegisterEntry(userId, number!, name!, programme!, year, string.IsNullOrEmpty(cohort) ? null : cohort));
        }
    }

    private string? Text(string value, string column, int maxLength, int line, bool required)
    {
        var text = value.Trim();
        if (required && text.Length == 0)
        {
            Fail(line, column, "A value is required.");
            return null;
        }

        if (text.Length > maxLength)
        {
            Fail(line, column, $"At most {maxLength} characters.");
            return null;
        }

        if (PlainText.FirstForbidden(text) is { } c)
        {
            Fail(line, column, $"The text holds the control character U+{(int)c:X4}, which is not allowed.");
            return null;
        }

        return text;
    }

    private void Fail(long row, string column, string message)
    {
        ErrorCount++;
        if (Errors.Count < MaxListedErrors)
        {
            Errors.Add(new RegisterError(row, column, message));
        }
    }
}
