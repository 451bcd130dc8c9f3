namespace CollabTraining.Contracts.Hospitals;

/// <summary>Scores 1 to 5 for each clinical competency.</summary>
/// <param name="HistoryTaking">History taking.</param>
/// <param name="PhysicalExamination">Physical examination.</param>
/// <param name="ClinicalReasoning">Clinical reasoning.</param>
/// <param name="ProceduralSkills">Procedural skills.</param>
/// <param name="Communication">Communication.</param>
/// <param name="Professionalism">Professionalism.</param>
public sealed record CompetencyScores(int HistoryTaking, int PhysicalExamination, int ClinicalReasoning, int ProceduralSkills, int Communication, int Professionalism)
{
    /// <summary>Each competency by its code (as reports name it) with its score, in the order above.</summary>
    public IEnumerable<(string Competency, int Score)> Named()
    {
        yield return ("history-taking", HistoryTaking);
        yield return ("physical-examination", PhysicalExamination);
        yield return ("clinical-reasoning", ClinicalReasoning);
        yield return ("procedural-skills", ProceduralSkills);
        yield return ("communication", Communication);
        yield return ("professionalism", Professionalism);
    }
}

/// <summary>A clinical mentor evaluated a placed student.</summary>
/// <param name="EvaluationId">The evaluation.</param>
/// <param name="AssignmentId">The placement assignment.</param>
/// <param name="StudentId">The student.</param>
/// <param name="HospitalId">The hospital.</param>
/// <param name="MentorId">The mentor who evaluated.</param>
/// <param name="MentorName">The mentor's name.</param>
/// <param name="Kind">"Mid" (mid-placement) or "Final".</param>
/// <param name="Scores">Competency scores, 1 to 5.</param>
/// <param name="Entrustment">Entrustment level, 1 to 5.</param>
/// <param name="Narrative">The mentor's narrative.</param>
/// <param name="Version">The evaluation's version (1).</param>
/// <param name="OccurredAt">When it was recorded.</param>
public sealed record EvaluationRecorded(
    Guid EvaluationId, Guid AssignmentId, Guid StudentId, Guid HospitalId, Guid MentorId, string MentorName, string Kind,
    CompetencyScores Scores, int Entrustment, string Narrative, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => EvaluationId;
}

/// <summary>A mentor approved or rejected hours a student logged.</summary>
/// <param name="LogId">The hours log entry.</param>
/// <param name="AssignmentId">The placement assignment.</param>
/// <param name="StudentId">The student.</param>
/// <param name="Date">The day worked.</param>
/// <param name="Hours">Hours worked.</param>
/// <param name="Approved">True when approved.</param>
/// <param name="Version">The entry's version after the review.</param>
/// <param name="OccurredAt">When it was reviewed.</param>
public sealed record HoursReviewed(Guid LogId, Guid AssignmentId, Guid StudentId, DateOnly Date, decimal Hours, bool Approved, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => LogId;
}
