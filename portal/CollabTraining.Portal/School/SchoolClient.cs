using System.Globalization;
using System.Text.Json;
using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.School;

/// <summary>A catalog offer a round may open to students (<c>GET /api/school/rounds</c> lists them per round).</summary>
public sealed record RoundOffer(Guid OfferId, string Title, Guid HospitalId, string HospitalName, DateOnly StartsOn, DateOnly EndsOn, int Seats);

/// <summary>A placement round as the API returns it; <see cref="Status"/> is Scheduled, Open, Closed, Published or Cancelled.</summary>
public sealed record Round(
    Guid Id, string Name, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RoundOffer> Offers, DateTimeOffset PreferencesOpenAt, DateTimeOffset PreferencesCloseAt,
    int MaxRanks, string Status, Guid? PublishedRunId, DateTimeOffset? StudentDeclineDeadline, string? CancellationReason, long Version)
{
    /// <summary>The ETag the API gave this version (sent back as <c>If-Match</c>).</summary>
    public string ETag => string.Create(CultureInfo.InvariantCulture, $"\"{Version}\"");
}

/// <summary>What <c>POST /api/school/rounds</c> and <c>PUT /api/school/rounds/{id}</c> take; nulls leave the API's defaults.</summary>
public sealed record RoundRequest(string? Name, IReadOnlyList<Guid> OfferIds, DateTimeOffset? PreferencesOpenAt, DateTimeOffset? PreferencesCloseAt, int? MaxRanks);

public sealed record RankCount(int Rank, int Students);

public sealed record RankDistribution(IReadOnlyList<RankCount> ByRank, int Unmatched);

/// <summary>A stored match run; <see cref="Kind"/> is Provisional, Initial or Rematch.</summary>
public sealed record MatchRunSummary(
    Guid Id, Guid RoundId, string Kind, string Seed, string AlgorithmVersion, string InputDigest, DateTimeOffset RanAt, bool Stable,
    int Matched, int Unmatched, RankDistribution RankDistribution, bool Published);

/// <summary>One student whose placement differs between two runs (no offer: unmatched in that run).</summary>
public sealed record RunMove(
    Guid StudentId, string StudentName, Guid? FirstOfferId, string? FirstOfferTitle, int? FirstRank, Guid? SecondOfferId, string? SecondOfferTitle, int? SecondRank);

public sealed record RunComparison(MatchRunSummary First, MatchRunSummary Second, int Unchanged, IReadOnlyList<RunMove> Moves);

public sealed record PublishedRun(Guid RoundId, Guid RunId, int Published, DateTimeOffset StudentDeclineDeadline);

public sealed record StudentRef(Guid StudentId, string Name);

public sealed record RematchResult(MatchRunSummary Run, int NewAssignments, IReadOnlyList<StudentRef> Unmatched);

public sealed record ProjectMember(Guid StudentId, string Name, string Programme);

public sealed record ProjectMentor(
    Guid RequestId, string Role, string Service, Guid MentorUserId, string Name, Guid OrganisationId, string Answer, DateTimeOffset AnswerBy, string? Reason, DateTimeOffset? AnsweredAt);

public sealed record Milestone(Guid Id, string Title, DateOnly DueOn);

public sealed record BudgetLine(double Budget, double Reserved, double Used, double Remaining);

public sealed record ProjectBudget(BudgetLine GpuHours, BudgetLine EquipmentHours);

/// <summary>An innovation project; <see cref="Status"/> is proposed, approved, completed or cancelled.</summary>
public sealed record Project(
    Guid Id, string Title, string Theme, string Summary, string Status, Guid? TrackId, IReadOnlyList<ProjectMember> Team, IReadOnlyList<ProjectMentor> Mentors,
    IReadOnlyList<Milestone> Milestones, ProjectBudget Budget, DateTimeOffset CreatedAt, DateTimeOffset? ApprovedAt, long Version);

public sealed record ProposeProjectRequest(string? Title, string? Theme, string? Summary, IReadOnlyList<Guid> StudentIds);

/// <summary>Asks a mentor: engineering (a catalog mentor) or clinical (<c>service</c> school or hospitals, with a name).</summary>
public sealed record AskMentorRequest(string Role, Guid? MentorUserId, string? Service, Guid? OrganisationId, string? Name);

public sealed record MilestoneRequest(string? Title, DateOnly? DueOn);

public sealed record ApproveProjectRequest(double? GpuHours, double? EquipmentHours, IReadOnlyList<MilestoneRequest> Milestones);

public sealed record BundlePartRequest(Guid? ResourceId, int? Units, DateTimeOffset? Start, DateTimeOffset? End, Guid? UserId);

public sealed record PlaceBundleRequest(IReadOnlyList<BundlePartRequest> Parts, int AnswerWithinSeconds);

/// <summary>One resource of a bundle; <see cref="State"/> is requested, held, confirmed, refused, releasing or released.</summary>
public sealed record BundlePart(
    Guid Id, string Owner, Guid ResourceId, string ResourceName, string Kind, int Units, DateTimeOffset Start, DateTimeOffset End, Guid UserId,
    string State, Guid? BookingId, string? Reason, string? Detail, double UnitHours);

/// <summary>A bundle; <see cref="Status"/> is placing (holds requested), confirming (all held), confirmed or failed (released).</summary>
public sealed record Bundle(
    Guid Id, Guid ProjectId, string Status, bool Settled, string? FailureReason, Guid? FailedPartId, DateTimeOffset CreatedAt, DateTimeOffset AnswerBy,
    DateTimeOffset? DecidedAt, IReadOnlyList<BundlePart> Parts);

/// <summary>The School's coordinator API (rounds, runs, projects, bundles, students, modules, ledger) through the gateway.</summary>
public sealed class SchoolClient(GatewayClient gateway)
{
    public const string Rounds = "api/school/rounds";
    public const string Projects = "api/school/projects";

    public Task<ApiResult<List<Round>>> RoundsAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<Round>>(Rounds, cancellationToken);

    public Task<ApiResult<Round>> CreateRoundAsync(RoundRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<Round>(Rounds, request, cancellationToken);

    /// <summary>Changes a round the user read (<c>If-Match</c> its ETag: a colleague's change in between is refused with 412).</summary>
    public Task<ApiResult<Round>> ReviseRoundAsync(Round round, RoundRequest request, CancellationToken cancellationToken = default)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, $"{Rounds}/{round.Id}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(request, options: GatewayClient.Json),
        };
        message.Headers.TryAddWithoutValidation("If-Match", round.ETag);
        return gateway.SendAsync<Round>(message, cancellationToken);
    }

    /// <summary>Runs the match; a seed (digits) repeats a lottery, none draws one.</summary>
    public Task<ApiResult<MatchRunSummary>> RunMatchAsync(Guid roundId, string? seed, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<MatchRunSummary>($"{Rounds}/{roundId}/match", new { seed = string.IsNullOrWhiteSpace(seed) ? null : seed.Trim() }, cancellationToken);

    public Task<ApiResult<List<MatchRunSummary>>> RunsAsync(Guid roundId, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<MatchRunSummary>>($"{Rounds}/{roundId}/runs", cancellationToken);

    public Task<ApiResult<RunComparison>> CompareRunsAsync(Guid roundId, Guid first, Guid second, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<RunComparison>(ApiQuery.Of($"{Rounds}/{roundId}/runs/compare", ("first", first), ("second", second)), cancellationToken);

    public Task<ApiResult<PublishedRun>> PublishRunAsync(Guid roundId, Guid runId, DateTimeOffset? studentDeclineDeadline, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<PublishedRun>($"{Rounds}/{roundId}/runs/{runId}/publish", new { studentDeclineDeadline }, cancellationToken);

    public Task<ApiResult<RematchResult>> RematchAsync(Guid roundId, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<RematchResult>($"{Rounds}/{roundId}/rematch", new { seed = (string?)null }, cancellationToken);

    public Task<ApiResult<List<Project>>> ProjectsAsync(string? status, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<Project>>(ApiQuery.Of(Projects, ("status", status)), cancellationToken);

    public Task<ApiResult<Project>> ProjectAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<Project>($"{Projects}/{id}", cancellationToken);

    public Task<ApiResult<Project>> ProposeProjectAsync(ProposeProjectRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<Project>(Projects, request, cancellationToken);

    public Task<ApiResult<ProjectMentor>> AskMentorAsync(Guid projectId, AskMentorRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<ProjectMentor>($"{Projects}/{projectId}/mentors", request, cancellationToken);

    public Task<ApiResult<Project>> ApproveProjectAsync(Guid projectId, ApproveProjectRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<Project>($"{Projects}/{projectId}/approve", request, cancellationToken);

    public Task<ApiResult<List<Bundle>>> BundlesAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<Bundle>>($"{Projects}/{projectId}/bundles", cancellationToken);

    public Task<ApiResult<Bundle>> BundleAsync(Guid projectId, Guid bundleId, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<Bundle>($"{Projects}/{projectId}/bundles/{bundleId}", cancellationToken);

    public Task<ApiResult<Bundle>> PlaceBundleAsync(Guid projectId, PlaceBundleRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<Bundle>($"{Projects}/{projectId}/bundles", request, cancellationToken);

    /// <summary>Open placement offers for a new round (the catalog's first 100).</summary>
    public Task<ApiResult<ApiPage<Catalog.CatalogPlacement>>> OpenOffersAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<ApiPage<Catalog.CatalogPlacement>>(ApiQuery.Of("api/school/catalog/placements", ("page", 1), ("pageSize", 100)), cancellationToken);

    /// <summary>Resources (or mentors, <paramref name="kind"/> <c>mentor</c>) of the shared catalog, the first 100 matching.</summary>
    public Task<ApiResult<ApiPage<Catalog.CatalogEntry>>> CatalogAsync(string kind, string? search, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<ApiPage<Catalog.CatalogEntry>>(ApiQuery.Of("api/school/catalog/resources", ("kind", kind), ("q", search), ("page", 1), ("pageSize", 100)), cancellationToken);

    public Task<ApiResult<ApiPage<Student>>> StudentsAsync(StudentFilter filter, int page, int pageSize, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<ApiPage<Student>>(ApiQuery.Of("api/school/students",
            ("q", filter.Search), ("programme", filter.Programme), ("studyYear", filter.StudyYear), ("cohort", filter.Cohort), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<List<ReferenceCode>>> ProgrammesAsync(CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<ReferenceCode>>("api/school/reference/programmes", cancellationToken);

    public Task<ApiResult<ApiPage<ModuleSummary>>> ModulesAsync(string? group, int page, int pageSize, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<ApiPage<ModuleSummary>>(ApiQuery.Of("api/school/modules", ("group", group), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<TrainingModule>> ModuleAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<TrainingModule>($"api/school/modules/{id}", cancellationToken);

    public Task<ApiResult<ModuleClass>> ScheduleClassAsync(Guid moduleId, ModuleClassRequest request, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<ModuleClass>($"api/school/modules/{moduleId}/classes", request, cancellationToken);

    public Task<ApiResult<List<Enrolment>>> EnrolmentsAsync(Guid moduleId, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<List<Enrolment>>($"api/school/modules/{moduleId}/enrolments", cancellationToken);

    public Task<ApiResult<Enrolment>> EnrolAsync(Guid moduleId, Guid? studentId, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<Enrolment>($"api/school/modules/{moduleId}/enrolments", new { studentId }, cancellationToken);

    public Task<ApiResult<ModuleResult>> RecordResultAsync(Guid moduleId, Guid studentId, ModuleResultRequest request, CancellationToken cancellationToken = default) =>
        gateway.PutAsync<ModuleResult>($"api/school/modules/{moduleId}/enrolments/{studentId}/result", request, cancellationToken);

    public Task<ApiResult<Student>> StudentAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<Student>($"api/school/students/{id}", cancellationToken);

    public Task<ApiResult<LedgerReport>> LedgerAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<LedgerReport>(ApiQuery.Of("api/school/ledger", ("from", from), ("to", to)), cancellationToken);

    public Task<ApiResult<ResourceUtilisationReport>> ResourceUtilisationAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<ResourceUtilisationReport>(ApiQuery.Of("api/school/ledger/resources", ("from", from), ("to", to)), cancellationToken);

    public Task<ApiResult<CohortReport>> CohortReportAsync(Guid? roundId, int threshold, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<CohortReport>(ApiQuery.Of("api/school/reports/cohort", ("roundId", roundId), ("threshold", threshold)), cancellationToken);

    /// <summary>Sends the register as <c>text/csv</c>; the API checks every row first and imports nothing when one is wrong.</summary>
    public Task<ApiResult<StudentImportResult>> ImportStudentsAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        var content = new StreamContent(csv);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return gateway.SendAsync<StudentImportResult>(new HttpRequestMessage(HttpMethod.Post, "api/school/students/import") { Content = content }, cancellationToken);
    }
}

public sealed record Student(Guid Id, string StudentNumber, string Name, string Programme, int StudyYear, string? Cohort);

public sealed record StudentFilter(string? Search = null, string? Programme = null, int? StudyYear = null, string? Cohort = null);

public sealed record ReferenceCode(string Code, string Name);

public sealed record StudentImportResult(int Created, int Updated);

/// <summary>One error of a refused register: the row (1 is the header), the column and what is wrong.</summary>
public sealed record RegisterError(long Row, string Column, string Message)
{
    /// <summary>The errors a refused import lists (the problem's <c>errors</c> array), and how many there were in all.</summary>
    public static (IReadOnlyList<RegisterError> Errors, int Count) From(ApiProblem problem)
    {
        var errors = problem.Extensions.TryGetValue("errors", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array
            ? list.Deserialize<List<RegisterError>>(GatewayClient.Json) ?? []
            : [];
        var count = problem.Extensions.TryGetValue("errorCount", out var n) && n.TryGetInt32(out var c) ? c : errors.Count;
        return (errors, count);
    }
}

public sealed record ModuleSummary(Guid Id, string Code, string Title, string Group, int Capacity, int Enrolled, int SeatsLeft);

public sealed record ModuleTeacher(Guid UserId, string Name, Guid OrganisationId, string OrganisationKind);

public sealed record ModuleGrant(string Code, string Name, int ValidityDays);

public sealed record ModuleClass(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Location, Guid TeacherId, string TeacherName);

public sealed record TrainingModule(Guid Id, string Code, string Title, string Group, string Description, int Capacity, int Enrolled, int SeatsLeft,
    IReadOnlyList<ModuleTeacher> Teachers, IReadOnlyList<ModuleGrant> Grants, IReadOnlyList<ModuleClass> Classes, long Version);

public sealed record ModuleClassRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Location, Guid? TeacherId);

/// <summary>A student's place in a module; <see cref="Status"/> is Enrolled, Withdrawn, Passed (and the API's other states).</summary>
public sealed record Enrolment(Guid ModuleId, string ModuleCode, string ModuleTitle, Guid StudentId, string Status, DateTimeOffset EnrolledAt,
    bool? Passed, int? Score, string? Note, DateTimeOffset? ResultRecordedAt);

public sealed record ModuleResultRequest(bool? Passed, int? Score, string? Note);

public sealed record GrantedQualification(string Code, string Name, DateOnly ExpiresOn);

public sealed record ModuleResult(Enrolment Enrolment, IReadOnlyList<GrantedQualification> Granted);

/// <summary>One party's contribution and usage over the ledger's period (the total line has no organisation).</summary>
public sealed record LedgerLine(
    Guid? OrganisationId, string? OrganisationName, int PlacementSeatsOffered, int PlacementSeatsFilled, double GpuHoursProvided, double GpuHoursUsed,
    double EquipmentHoursProvided, double EquipmentHoursUsed, int EngineeringMentorsOffered, int ProjectsMentored, int ModuleClassesTaught,
    double HoursProvided, double HoursUsed);

public sealed record LedgerReport(DateOnly From, DateOnly To, IReadOnlyList<LedgerLine> Parties, LedgerLine Total);

/// <summary>A shared resource's use over a period; <see cref="Utilisation"/> is booked ÷ available, a fraction.</summary>
public sealed record ResourceUtilisationLine(
    Guid ResourceId, string Name, Guid OwnerId, string OwnerName, string Kind, int Capacity, double BookedHours, double UsedHours, double AvailableHours, double Utilisation);

public sealed record ResourceUtilisationReport(DateOnly From, DateOnly To, IReadOnlyList<ResourceUtilisationLine> Resources);

public sealed record ScoreCount(int Score, int Evaluations);

public sealed record CompetencySummary(string Competency, IReadOnlyList<ScoreCount> Distribution, double Mean);

public sealed record StudentBelowThreshold(Guid StudentId, string Name, string Competency, int Score, string HospitalName);

public sealed record HospitalCompletion(Guid HospitalId, string HospitalName, int ConfirmedPlacements, int FinalEvaluations, double CompletionRate);

public sealed record CohortReport(Guid? RoundId, int Threshold, int FinalEvaluations, IReadOnlyList<CompetencySummary> Competencies,
    IReadOnlyList<StudentBelowThreshold> BelowThreshold, IReadOnlyList<HospitalCompletion> Hospitals);
