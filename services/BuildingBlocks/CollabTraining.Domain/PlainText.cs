namespace CollabTraining.Domain;

/// <summary>
/// What free text may hold. Control characters (NUL and the rest of C0/C1, except line breaks and tabs), the
/// invisible bidirectional controls that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F, U+061C), and other invisible format characters (zero-width spaces and joiners U+200B–U+200D,
/// U+2060–U+2064, U+206A–U+206F, U+FEFF, the line and paragraph separators U+2028/U+2029, and the tag
/// characters U+E0000–U+E007F) are refused: they hide or fake text in logs, spreadsheets and other people's screens.
/// </summary>
public static class PlainText
{
    /// <summary>The first character text may not hold, or null when it is clean.</summary>
    public static char? FirstForbidden(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsForbidden(c))
            {
                return c;
            }

            // Tag characters (U+E0000–U+E007F) are the surrogate pair U+DB40 U+DC00–U+DC7F.
            if (c == '\uDB40' && i + 1 < text.Length && text[i + 1] is >= '\uDC00' and <= '\uDC7F')
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
        || c is '\u200E' or '\u200F' or '\u061C'
        || c is >= '\u200B' and <= '\u200D'
        || c is >= '\u2060' and <= '\u2064'
        || c is >= '\u206A' and <= '\u206F'
        || c is '\uFEFF' or '\u2028' or '\u2029';
}
