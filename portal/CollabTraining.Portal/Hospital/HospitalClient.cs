using System.Net.Http.Json;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.Catalog;

namespace CollabTraining.Portal.Hospital;

/// <summary>The statuses of an offer, as the API names them (<c>PlacementOfferStatus</c>).</summary>
public static class OfferStatus
{
    public const string Draft = "Draft";
    public const string Published = "Published";
    public const string Closed = "Closed";
    public const string Withdrawn = "Withdrawn";
}

/// <summary>The statuses of an assignment, as the API names them (<c>PlacementAssignmentStatus</c>).</summary>
public static class AssignmentStatus
{
    public const string Pending = "Pending";
    public const string Confirmed = "Confirmed";
}

/// <summary>A hospital's placement offer (<c>GET /api/hospitals/placement-offers</c>).</summary>
public sealed record HospitalOffer(
    Guid Id, Guid HospitalId, string HospitalName, string Department, string Specialty, string Title, DateOnly StartsOn, DateOnly EndsOn, int Seats,
    PlacementRequirements Requirements, string Status, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Who may take an offer (<c>PlacementRequirementsRequest</c>).</summary>
public sealed record OfferRequirementsRequest(int? MinimumStudyYear, List<string>? RequiredQualifications, List<string>? AllowedProgrammes);

/// <summary>The body of a create or a change (<c>PlacementOfferRequest</c>); <see cref="Publish"/> is ignored on a change.</summary>
public sealed record OfferRequest(
    string? Department, string? Specialty, string? Title, DateOnly? StartsOn, DateOnly? EndsOn, int? Seats, OfferRequirementsRequest? Requirements, bool? Publish);

public sealed record ReferenceCode(string Code, string Name);

public sealed record HospitalAssignment(
    Guid Id, Guid RoundId, Guid OfferId, string OfferTitle, Guid StudentId, string StudentName, int StudyYear, string Programme,
    string Status, string? DeclineReason, Guid? MentorId, string? MentorName, long Version);

/// <summary>What a change of seats would do (<c>GET …/seat-reduction</c>); <see cref="Refusal"/> is why it would be refused.</summary>
public sealed record SeatReductionPreview(Guid OfferId, int Seats, int NewSeats, int Confirmed, int Pending, IReadOnlyList<HospitalAssignment> WouldDecline, string? Refusal);

public sealed record RoundOffer(Guid OfferId, string Title, Guid HospitalId, string HospitalName, DateOnly StartsOn, DateOnly EndsOn, int Seats);

public sealed record PlacementRound(Guid Id, string Name, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RoundOffer> Offers, DateTimeOffset PreferencesOpenAt,
    DateTimeOffset PreferencesCloseAt, int MaxRanks, string Status, long Version);

public sealed record Applicant(Guid StudentId, string Name, string Programme, int StudyYear, bool? InYourRanking);

public sealed record RankedApplicant(Guid StudentId, string Name);

public sealed record HospitalRanking(Guid RoundId, Guid OfferId, IReadOnlyList<Guid> StudentIds, IReadOnlyList<RankedApplicant> Students, DateTimeOffset SubmittedAt);

public sealed record ClinicalMentor(Guid Id, Guid HospitalId, string Name, bool Retired, DateTimeOffset? RetiredAt, int ActiveStudents, int ProjectCapacity);

public sealed record RegisterMentorRequest(Guid? UserId, string? Name, int ProjectCapacity);

public sealed record CompetencyScores(int HistoryTaking, int PhysicalExamination, int ClinicalReasoning, int ProceduralSkills, int Communication, int Professionalism);

public sealed record ScoresRequest(int? HistoryTaking, int? PhysicalExamination, int? ClinicalReasoning, int? ProceduralSkills, int? Communication, int? Professionalism);

public sealed record EvaluationRequest(string? Kind, ScoresRequest? Scores, int? Entrustment, string? Narrative);

public sealed record Evaluation(
    Guid Id, Guid AssignmentId, Guid StudentId, string StudentName, Guid MentorId, string Kind, CompetencyScores Scores, int Entrustment, string Narrative, DateTimeOffset RecordedAt);

public sealed record HoursEntry(Guid Id, Guid AssignmentId, Guid StudentId, DateOnly Date, decimal Hours, string Activity, string Status, string? ReviewNote, DateTimeOffset LoggedAt);

/// <summary>The Hospitals service's API (and the School's hospital side of a round) as a hospital's coordinators and mentors use it.</summary>
public sealed class HospitalClient(GatewayClient gateway)
{
    private const string Offers = "api/hospitals/placement-offers";

    public Task<ApiResult<ApiPage<HospitalOffer>>> OffersAsync(Guid hospitalId, bool includeWithdrawn, int page, int pageSize, CancellationToken cancellationToken) =>
        gateway.GetAsync<ApiPage<HospitalOffer>>(ApiQuery.Of(Offers,
            ("hospitalId", hospitalId), ("includeWithdrawn", includeWithdrawn ? true : null), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<HospitalOffer>> OfferAsync(Guid id, CancellationToken cancellationToken) =>
        gateway.GetAsync<HospitalOffer>($"{Offers}/{id}", cancellationToken);

    public Task<ApiResult<HospitalOffer>> CreateOfferAsync(OfferRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<HospitalOffer>(Offers, request, cancellationToken);

    /// <summary>Changes an offer only if nobody changed it since <paramref name="version"/> was read (<c>If-Match</c>; 412 otherwise).</summary>
    public Task<ApiResult<HospitalOffer>> ReviseOfferAsync(Guid id, long version, OfferRequest request, CancellationToken cancellationToken) =>
        gateway.SendAsync<HospitalOffer>(IfMatch(HttpMethod.Put, $"{Offers}/{id}", version, request), cancellationToken);

    public Task<ApiResult<HospitalOffer>> PublishDraftAsync(Guid id, long version, CancellationToken cancellationToken) =>
        gateway.SendAsync<HospitalOffer>(IfMatch(HttpMethod.Post, $"{Offers}/{id}/publish", version), cancellationToken);

    public Task<ApiResult<HospitalOffer>> CloseOfferAsync(Guid id, long version, CancellationToken cancellationToken) =>
        gateway.SendAsync<HospitalOffer>(IfMatch(HttpMethod.Post, $"{Offers}/{id}/close", version), cancellationToken);

    public Task<ApiResult<object>> WithdrawOfferAsync(Guid id, long version, bool force, CancellationToken cancellationToken) =>
        gateway.SendAsync<object>(IfMatch(HttpMethod.Delete, ApiQuery.Of($"{Offers}/{id}", ("force", force ? true : null)), version), cancellationToken);

    public Task<ApiResult<SeatReductionPreview>> PreviewSeatsAsync(Guid id, int seats, CancellationToken cancellationToken) =>
        gateway.GetAsync<SeatReductionPreview>(ApiQuery.Of($"{Offers}/{id}/seat-reduction", ("seats", seats)), cancellationToken);

    public Task<ApiResult<List<ReferenceCode>>> QualificationsAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<ReferenceCode>>("api/school/reference/qualifications", cancellationToken);

    public Task<ApiResult<List<ReferenceCode>>> ProgrammesAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<ReferenceCode>>("api/school/reference/programmes", cancellationToken);

    public Task<ApiResult<List<PlacementRound>>> RoundsAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<PlacementRound>>("api/school/rounds", cancellationToken);

    public Task<ApiResult<List<Applicant>>> ApplicantsAsync(Guid roundId, Guid offerId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Applicant>>($"api/school/rounds/{roundId}/offers/{offerId}/applicants", cancellationToken);

    /// <summary>The ranking the hospital submitted; a 404 means none yet.</summary>
    public Task<ApiResult<HospitalRanking>> RankingAsync(Guid roundId, Guid offerId, CancellationToken cancellationToken) =>
        gateway.GetAsync<HospitalRanking>($"api/school/rounds/{roundId}/offers/{offerId}/ranking", cancellationToken);

    public Task<ApiResult<HospitalRanking>> SubmitRankingAsync(Guid roundId, Guid offerId, IReadOnlyList<Guid> studentIds, CancellationToken cancellationToken) =>
        gateway.PutAsync<HospitalRanking>($"api/school/rounds/{roundId}/offers/{offerId}/ranking", new { studentIds }, cancellationToken);

    public Task<ApiResult<List<HospitalAssignment>>> AssignmentsAsync(Guid? offerId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<HospitalAssignment>>(ApiQuery.Of("api/hospitals/assignments", ("offerId", offerId)), cancellationToken);

    public Task<ApiResult<HospitalAssignment>> ConfirmAsync(Guid assignmentId, CancellationToken cancellationToken) =>
        gateway.PostAsync<HospitalAssignment>($"api/hospitals/assignments/{assignmentId}/confirm", null, cancellationToken);

    public Task<ApiResult<HospitalAssignment>> DeclineAsync(Guid assignmentId, string? reason, CancellationToken cancellationToken) =>
        gateway.PostAsync<HospitalAssignment>($"api/hospitals/assignments/{assignmentId}/decline", new { reason }, cancellationToken);

    public Task<ApiResult<HospitalAssignment>> AssignMentorAsync(Guid assignmentId, Guid? mentorId, CancellationToken cancellationToken) =>
        gateway.PutAsync<HospitalAssignment>($"api/hospitals/assignments/{assignmentId}/mentor", new { mentorId }, cancellationToken);

    public Task<ApiResult<List<ClinicalMentor>>> MentorsAsync(bool includeRetired, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<ClinicalMentor>>(ApiQuery.Of("api/hospitals/mentors", ("includeRetired", includeRetired ? true : null)), cancellationToken);

    public Task<ApiResult<ClinicalMentor>> RegisterMentorAsync(RegisterMentorRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<ClinicalMentor>("api/hospitals/mentors", request, cancellationToken);

    public Task<ApiResult<ClinicalMentor>> RetireMentorAsync(Guid mentorId, CancellationToken cancellationToken) =>
        gateway.DeleteAsync<ClinicalMentor>($"api/hospitals/mentors/{mentorId}", cancellationToken);

    public Task<ApiResult<List<Evaluation>>> EvaluationsAsync(Guid assignmentId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Evaluation>>($"api/hospitals/assignments/{assignmentId}/evaluations", cancellationToken);

    public Task<ApiResult<List<Evaluation>>> MyEvaluationsAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Evaluation>>("api/hospitals/evaluations/mine", cancellationToken);

    public Task<ApiResult<Evaluation>> RecordEvaluationAsync(Guid assignmentId, EvaluationRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<Evaluation>($"api/hospitals/assignments/{assignmentId}/evaluations", request, cancellationToken);

    public Task<ApiResult<List<HoursEntry>>> HoursAsync(Guid assignmentId, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<HoursEntry>>($"api/hospitals/assignments/{assignmentId}/hours", cancellationToken);

    public Task<ApiResult<HoursEntry>> ApproveHoursAsync(Guid logId, string? note, CancellationToken cancellationToken) =>
        gateway.PostAsync<HoursEntry>($"api/hospitals/hours/{logId}/approve", new { note }, cancellationToken);

    public Task<ApiResult<HoursEntry>> RejectHoursAsync(Guid logId, string? note, CancellationToken cancellationToken) =>
        gateway.PostAsync<HoursEntry>($"api/hospitals/hours/{logId}/reject", new { note }, cancellationToken);

    private static HttpRequestMessage IfMatch(HttpMethod method, string path, long version, object? body = null)
    {
        var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: GatewayClient.Json),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return request;
    }
}
