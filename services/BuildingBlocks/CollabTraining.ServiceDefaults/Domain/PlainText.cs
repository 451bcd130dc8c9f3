namespace CollabTraining.ServiceDefaults.Domain;

/// <summary>
/// What free text may hold. Control characters (NUL and the rest of C0/C1, except line breaks and tabs) and
/// the invisible bidirectional controls that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C) are refused: they hide text in logs, spreadsheets and other people's screens.
/// </summary>
public static class PlainText
{
    /// <summary>The first character text may not hold, or null when it is clean.</summary>
    public static char? FirstForbidden(string text)
    {
        foreach (var c in text)
        {
            if (IsForbidden(c))
            {
                return c;
            }
        }

        return null;
    }

    public static bool IsForbidden(char c) =>
        (char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069'
        || c is '\u200E' or '\u200F' or '\u061C';
}
