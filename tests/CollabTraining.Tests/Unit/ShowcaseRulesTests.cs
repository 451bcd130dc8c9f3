using System.Text;
using CollabTraining.School.Showcase;

namespace CollabTraining.Tests.Unit;

/// <summary>What the showcase takes as a report, a report's name and a link, without a host.</summary>
public sealed class ShowcaseRulesTests
{
    [Theory]
    [InlineData("report.pdf", true)]
    [InlineData("Final report (v2).PDF", true)]
    [InlineData("../report.pdf", false)]
    [InlineData("a/b.pdf", false)]
    [InlineData("a\\b.pdf", false)]
    [InlineData("C:report.pdf", false)]
    [InlineData("report.pdf:stream", false)]
    [InlineData("re\u202Eport.pdf", false)]
    [InlineData("line\nbreak.pdf", false)]
    [InlineData(" report.pdf", false)]
    [InlineData("", false)]
    public void A_file_name_is_a_name_never_a_path(string name, bool accepted)
    {
        Assert.Equal(accepted, ReportFileName.Problem(name) is null);
        Assert.NotNull(ReportFileName.Problem(new string('a', 197) + ".pdf"));
    }

    [Fact]
    public void Utf8_text_split_inside_a_character_across_chunks_is_still_text_and_a_cut_off_character_is_not()
    {
        var bytes = Encoding.UTF8.GetBytes("Résumé — 診断 🩺");
        var probe = new ReportContentProbe();
        foreach (var b in bytes)
        {
            probe.Append([b]);
        }

        probe.Complete();
        Assert.True(probe.IsUtf8Text);
        Assert.True(ReportFormat.Markdown.Matches(probe));

        var cut = new ReportContentProbe();
        cut.Append(bytes.AsSpan(0, bytes.Length - 1));
        cut.Complete();
        Assert.False(cut.IsUtf8Text);
    }

    [Fact]
    public void Content_must_be_what_the_extension_claims()
    {
        static ReportContentProbe Probe(byte[] content)
        {
            var probe = new ReportContentProbe();
            probe.Append(content);
            probe.Complete();
            return probe;
        }

        Assert.Same(ReportFormat.Pdf, ReportFormat.Claimed("a.PDF"));
        Assert.Null(ReportFormat.Claimed("a.exe"));
        Assert.Null(ReportFormat.Claimed("a.pdf.exe"));
        Assert.Null(ReportFormat.Claimed("a.svg"));
        Assert.True(ReportFormat.Pdf.Matches(Probe("%PDF-1.7"u8.ToArray())));
        Assert.False(ReportFormat.Pdf.Matches(Probe("<html>"u8.ToArray())));
        Assert.True(ReportFormat.Png.Matches(Probe([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])));
        Assert.True(ReportFormat.Jpeg.Matches(Probe([0xFF, 0xD8, 0xFF, 0xE0])));
        Assert.False(ReportFormat.Text.Matches(Probe([0xFF, 0xD8, 0xFF, 0xE0])));
        Assert.False(ReportFormat.Text.Matches(Probe("a\0b"u8.ToArray())));
    }

    [Theory]
    [InlineData("https://example.org/a?b=c", true)]
    [InlineData("http://example.org", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("JAVASCRIPT:alert(1)", false)]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://example.org/x", false)]
    [InlineData("https://user:pass@example.org", false)]
    [InlineData("//example.org/x", false)]
    [InlineData("https://exa mple.org", false)]
    public void A_link_is_an_absolute_http_or_https_address(string link, bool accepted) =>
        Assert.Equal(accepted, ShowcaseDraft.LinkProblem(link) is null);
}
