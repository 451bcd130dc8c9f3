using CollabTraining.Portal.School;
using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.Student;

/// <summary>A placement round: its offers, its preference window and where it stands (<c>Scheduled</c>, <c>Open</c>, <c>Closed</c>, <c>Published</c>, <c>Cancelled</c>).</summary>
public sealed record PlacementRound(
    Guid Id, string Name, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RoundOffer> Offers, DateTimeOffset PreferencesOpenAt, DateTimeOffset PreferencesCloseAt,
    int MaxRanks, string Status, Guid? PublishedRunId, DateTimeOffset? StudentDeclineDeadline, string? CancellationReason, long Version);

/// <summary>Whether the student may rank an offer now and, when not, the requirement they do not meet (<c>GET …/eligibility/me</c>).</summary>
public sealed record OfferEligibility(Guid OfferId, bool Eligible, string? Reason);

public sealed record RankedOffer(Guid OfferId, string Title, string HospitalName);

/// <summary>The ranking the student submitted in a round, best first.</summary>
public sealed record MyPreferences(Guid RoundId, Guid StudentId, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RankedOffer> Offers, DateTimeOffset SubmittedAt);

/// <summary>What <c>PUT …/preferences/me</c> takes: offers best first.</summary>
public sealed record PreferencesRequest(IReadOnlyList<Guid> OfferIds);

/// <summary>Why the student did not get an offer they ranked higher (<c>Reason</c>: <c>NotEligible</c>, <c>NotRankedByHospital</c>, <c>Full</c>, …).</summary>
public sealed record RankedAboveExplanation(Guid OfferId, string OfferTitle, string HospitalName, int Rank, string Reason, string Detail);

/// <summary>The student's result in a published round, with the explanation of every higher choice.</summary>
public sealed record MyMatchResult(
    Guid RoundId, Guid RunId, string RunKind, Guid? OfferId, string? OfferTitle, string? HospitalName, int? Rank, IReadOnlyList<RankedAboveExplanation> RankedAbove, string? Note);

/// <summary>The student's assignment in a round (<c>Pending</c>, <c>Confirmed</c>, <c>DeclinedByHospital</c>, <c>DeclinedByStudent</c>, <c>ReleasedBySchool</c>).</summary>
public sealed record MyAssignment(
    Guid Id, Guid RoundId, Guid? RunId, Guid OfferId, string OfferTitle, Guid HospitalId, string HospitalName, Guid StudentId, string StudentName,
    int Rank, string Status, string? DeclineReason, Guid? MentorId, string? MentorName, DateTimeOffset AssignedAt, long Version);

/// <summary>What <c>POST …/assignment/me/decline</c> takes.</summary>
public sealed record DeclineRequest(string Reason);

/// <summary>Hours the student logged (<c>Pending</c>, <c>Approved</c>, <c>Rejected</c>).</summary>
public sealed record HoursEntry(Guid Id, Guid AssignmentId, Guid StudentId, DateOnly Date, decimal Hours, string Activity, string Status, string? ReviewNote, DateTimeOffset LoggedAt);

/// <summary>What <c>POST /api/hospitals/assignments/{id}/hours/me</c> takes.</summary>
public sealed record HoursRequest(DateOnly? Date, decimal? Hours, string? Activity);

public sealed record CompetencyScores(int HistoryTaking, int PhysicalExamination, int ClinicalReasoning, int ProceduralSkills, int Communication, int Professionalism);

public sealed record RecordEvaluation(Guid Id, string Kind, string MentorName, CompetencyScores Scores, int Entrustment, string Narrative, DateTimeOffset RecordedAt);

public sealed record RecordPlacement(
    Guid AssignmentId, Guid RoundId, Guid OfferId, string? Title, string? HospitalName, DateOnly? StartsOn, DateOnly? EndsOn,
    string Status, string? MentorName, decimal ApprovedHours, IReadOnlyList<RecordEvaluation> Evaluations);

public sealed record RecordQualification(string Code, string Name, DateOnly ExpiresOn, bool Revoked);

public sealed record RecordBooking(Guid BookingId, Guid ResourceId, string ResourceName, Guid OwnerId, string? OwnerName, DateTimeOffset Start, DateTimeOffset End, int Units, string Status);

public sealed record RecordUsage(Guid BookingId, Guid ResourceId, string? ResourceName, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt, int Units, double UnitHours);

public sealed record RecordModule(Guid ModuleId, string Code, string Title, string Group, string Status, bool? Passed, int? Score, DateTimeOffset EnrolledAt, DateTimeOffset? ResultRecordedAt);

public sealed record RecordProject(Guid ProjectId, string Title, string Theme, string Status, IReadOnlyList<string> Mentors, DateTimeOffset? ApprovedAt);

/// <summary>The student's training record (<c>GET /api/school/students/{id}/record</c>).</summary>
public sealed record TrainingRecord(
    Guid StudentId, string Name, string Programme, int StudyYear, IReadOnlyList<RecordPlacement> Placements,
    IReadOnlyList<RecordQualification> Qualifications, IReadOnlyList<RecordBooking> Bookings, IReadOnlyList<RecordUsage> Usage,
    IReadOnlyList<RecordModule> Modules, IReadOnlyList<RecordProject> Projects);

/// <summary>The student's side of the School and Hospitals APIs: rounds and rankings, results, assignments, hours, record and projects.</summary>
public sealed class StudentClient(GatewayClient gateway)
{
    public Task<ApiResult<List<PlacementRound>>> RoundsAsync(string status, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<PlacementRound>>(ApiQuery.Of("api/school/rounds", ("status", status)), cancellationToken);

    public Task<ApiResult<List<OfferEligibility>>> EligibilityAsync(Guid roundId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<OfferEligibility>>($"api/school/rounds/{roundId}/eligibility/me", cancellationToken);

    public Task<ApiResult<MyPreferences>> PreferencesAsync(Guid roundId, CancellationToken cancellationToken) =>
        gateway.GetAsync<MyPreferences>($"api/school/rounds/{roundId}/preferences/me", cancellationToken);

    public Task<ApiResult<MyPreferences>> SubmitPreferencesAsync(Guid roundId, PreferencesRequest request, CancellationToken cancellationToken) =>
        gateway.PutAsync<MyPreferences>($"api/school/rounds/{roundId}/preferences/me", request, cancellationToken);

    public Task<ApiResult<MyMatchResult>> ResultAsync(Guid roundId, CancellationToken cancellationToken) =>
        gateway.GetAsync<MyMatchResult>($"api/school/rounds/{roundId}/result/me", cancellationToken);

    public Task<ApiResult<MyAssignment>> AssignmentAsync(Guid roundId, CancellationToken cancellationToken) =>
        gateway.GetAsync<MyAssignment>($"api/school/rounds/{roundId}/assignment/me", cancellationToken);

    public Task<ApiResult<MyAssignment>> DeclineAssignmentAsync(Guid roundId, DeclineRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<MyAssignment>($"api/school/rounds/{roundId}/assignment/me/decline", request, cancellationToken);

    public Task<ApiResult<List<HoursEntry>>> MyHoursAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<HoursEntry>>("api/hospitals/hours/me", cancellationToken);

    public Task<ApiResult<HoursEntry>> LogHoursAsync(Guid assignmentId, HoursRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<HoursEntry>($"api/hospitals/assignments/{assignmentId}/hours/me", request, cancellationToken);

    public Task<ApiResult<TrainingRecord>> RecordAsync(Guid studentId, CancellationToken cancellationToken) =>
        gateway.GetAsync<TrainingRecord>($"api/school/students/{studentId}/record", cancellationToken);

    public Task<ApiResult<List<Project>>> ProjectsAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Project>>("api/school/projects", cancellationToken);

    public Task<ApiResult<List<Bundle>>> BundlesAsync(Guid projectId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Bundle>>($"api/school/projects/{projectId}/bundles", cancellationToken);
}
