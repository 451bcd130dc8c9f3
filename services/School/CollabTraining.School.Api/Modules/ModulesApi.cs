using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CollabTraining.School.Data;
using CollabTraining.School.Students;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Modules;

public sealed record ModuleTeacherRequest(Guid? UserId, string? Name, Guid? OrganisationId, string? OrganisationKind);

public sealed record ModuleGrantRequest(string? Code, int? ValidityDays);

public sealed record ModuleRequest(string? Code, string? Title, string? Group, string? Description, int? Capacity,
    List<ModuleTeacherRequest?>? Teachers, List<ModuleGrantRequest?>? Grants);

public sealed record ModuleClassRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Location, Guid? TeacherId);

public sealed record EnrolStudentRequest(Guid? StudentId);

public sealed record ModuleResultRequest(bool? Passed, int? Score, string? Note);

public sealed record ModuleGrantResponse(string Code, string Name, int ValidityDays);

public sealed record ModuleClassResponse(Guid Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Location, Guid TeacherId, string TeacherName);

public sealed record ModuleSummary(Guid Id, string Code, string Title, string Group, int Capacity, int Enrolled, int SeatsLeft);

public sealed record ModuleResponse(Guid Id, string Code, string Title, string Group, string Description, int Capacity, int Enrolled, int SeatsLeft,
    IReadOnlyList<ModuleTeacher> Teachers, IReadOnlyList<ModuleGrantResponse> Grants, IReadOnlyList<ModuleClassResponse> Classes, long Version);

public sealed record EnrolmentResponse(Guid ModuleId, string ModuleCode, string ModuleTitle, Guid StudentId, EnrolmentStatus Status, DateTimeOffset EnrolledAt,
    bool? Passed, int? Score, string? Note, DateTimeOffset? ResultRecordedAt);

public sealed record ModuleResultResponse(EnrolmentResponse Enrolment, IReadOnlyList<QualificationResponse> Granted);

public sealed record MyModulesResponse(IReadOnlyList<EnrolmentResponse> Enrolments, IReadOnlyList<ModuleSummary> Teaching);

/// <summary>
/// The micro-programme of training modules: coordinators define modules, their teachers and classes; students
/// enrol (within capacity, even when racing for the last seat); a teacher of the module records results, and a
/// pass grants or renews the module's qualifications through the same path as a coordinator's grant.
/// </summary>
public static class ModulesApi
{
    private const int MaxSeatAttempts = 20;

    public static void MapModulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/modules").WithTags("Training modules");
        group.MapGet("/", List).WithName("ListModules").WithSummary("The micro-programme's modules, optionally of one group (core, practice, extension)")
            .RequireAuthorization(Policies.Authenticated);
        group.MapGet("/mine", Mine).WithName("MyModules").WithSummary("Your enrolments with their results, and the modules you teach")
            .RequireAuthorization(Policies.Authenticated);
        group.MapGet("/{id:guid}", Get).WithName("GetModule").WithSummary("One module: teachers, classes, the qualifications it grants, seats taken and left")
            .RequireAuthorization(Policies.Authenticated);
        group.MapPost("/", Create).WithName("CreateModule").WithSummary("Define a module with its teachers and the qualifications a pass grants")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPut("/{id:guid}", Change).WithName("ChangeModule").WithSummary("Change a module (its teachers and grants are replaced by those sent)")
            .WithDescription("`If-Match` with the module's ETag makes the change conditional (412 when it changed meanwhile). The capacity cannot fall below the seats taken.")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/{id:guid}/classes", ScheduleClass).WithName("ScheduleModuleClass").WithSummary("Schedule a class of the module, taught by one of its teachers")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPut("/{id:guid}/classes/{classId:guid}", ChangeClass).WithName("ChangeModuleClass").WithSummary("Move a class, or give it to another teacher of the module")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapDelete("/{id:guid}/classes/{classId:guid}", CancelClass).WithName("CancelModuleClass").WithSummary("Cancel a class")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/{id:guid}/enrolments/me", EnrolMe).WithName("EnrolInModule").WithSummary("Enrol yourself in a module while it has seats (409 module-full otherwise)")
            .RequireAuthorization(Policies.Student);
        group.MapPost("/{id:guid}/enrolments", EnrolStudent).WithName("EnrolStudentInModule").WithSummary("Enrol a student in a module while it has seats")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/{id:guid}/enrolments", ListEnrolments).WithName("ListModuleEnrolments").WithSummary("The module's students and results (its teachers and coordinators)")
            .RequireAuthorization(Policies.Authenticated);
        group.MapDelete("/{id:guid}/enrolments/{studentId:guid}", Withdraw).WithName("WithdrawFromModule")
            .WithSummary("Withdraw from a module before completing it (the student, or a coordinator); the seat is freed")
            .RequireAuthorization(Policies.Authenticated);
        group.MapPut("/{id:guid}/enrolments/{studentId:guid}/result", RecordResult).WithName("RecordModuleResult")
            .WithSummary("Record a student's result (a teacher of the module, or a coordinator); a pass grants or renews the module's qualifications")
            .WithDescription("Each qualification the module grants is valid until today plus its validity; owners are told through `QualificationChanged`.")
            .RequireAuthorization(Policies.Authenticated);
    }

    public static async Task<Results<Ok<Page<ModuleSummary>>, ValidationProblem>> List(SchoolDbContext db, CancellationToken ct, string? group = null, int page = 1, int pageSize = 50)
    {
        if (group is not null && !ModuleGroups.All.Contains(group))
        {
            return Problems.Invalid(nameof(group), $"The group is one of {string.Join(", ", ModuleGroups.All)}.");
        }

        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 200)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 200 modules.");
        }

        var modules = db.Set<TrainingModule>().AsNoTracking().Where(m => group == null || m.Group == group);
        var total = await modules.CountAsync(ct);
        var items = await modules.OrderBy(m => m.Group).ThenBy(m => m.Code).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new { m.Id, m.Code, m.Title, m.Group, m.Capacity }).ToListAsync(ct);
        var taken = await SeatsTakenAsync(db, items.Select(m => m.Id).ToList(), ct);
        return TypedResults.Ok(new Page<ModuleSummary>(
            items.Select(m => Summary(m.Id, m.Code, m.Title, m.Group, m.Capacity, taken.GetValueOrDefault(m.Id))).ToList(), page, pageSize, total));
    }

    public static async Task<Ok<ModuleResponse>> Get(Guid id, SchoolDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ResponseAsync(db, await FindAsync(db, id, ct, tracked: false), ct));

    public static async Task<Ok<MyModulesResponse>> Mine(CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var enrolments = await (from e in db.Set<ModuleEnrolment>().AsNoTracking()
                                join m in db.Set<TrainingModule>() on e.ModuleId equals m.Id
                                where e.StudentId == user.UserId
                                orderby m.Code
                                select new EnrolmentResponse(m.Id, m.Code, m.Title, e.StudentId, e.Status, e.EnrolledAt, e.Passed, e.Score, e.Note, e.ResultRecordedAt))
            .ToListAsync(ct);
        var teaching = await db.Set<TrainingModule>().AsNoTracking().Where(m => m.Teachers.Any(t => t.UserId == user.UserId)).OrderBy(m => m.Code)
            .Select(m => new { m.Id, m.Code, m.Title, m.Group, m.Capacity }).ToListAsync(ct);
        var taken = await SeatsTakenAsync(db, teaching.Select(m => m.Id).ToList(), ct);
        return TypedResults.Ok(new MyModulesResponse(enrolments,
            teaching.Select(m => Summary(m.Id, m.Code, m.Title, m.Group, m.Capacity, taken.GetValueOrDefault(m.Id))).ToList()));
    }

    public static async Task<Created<ModuleResponse>> Create(ModuleRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var terms = Terms(request);
        if (await db.Set<TrainingModule>().AnyAsync(m => m.Code == terms.Code, ct))
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "code-taken", $"A module with code '{terms.Code}' exists already.");
        }

        var module = TrainingModule.Create(Guid.CreateVersion7(time.GetUtcNow()), terms);
        db.Add(module);
        await SaveAsync(db, ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/modules/{module.Id}", await ResponseAsync(db, module, ct));
    }

    public static async Task<Results<Ok<ModuleResponse>, ProblemHttpResult>> Change(Guid id, ModuleRequest request, HttpRequest http, SchoolDbContext db, CancellationToken ct)
    {
        var module = await FindAsync(db, id, ct);
        if (!ETags.Matches(http.Headers.IfMatch, module.Version))
        {
            return ETags.PreconditionFailed("module", module.Version);
        }

        var terms = Terms(request);
        if (terms.Code != module.Code && await db.Set<TrainingModule>().AnyAsync(m => m.Code == terms.Code, ct))
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "code-taken", $"A module with code '{terms.Code}' exists already.");
        }

        var taken = await db.Set<ModuleEnrolment>().CountAsync(e => e.ModuleId == id && e.Status != EnrolmentStatus.Withdrawn, ct);
        var teachersOfClasses = await db.Set<ModuleClass>().Where(c => c.ModuleId == id).Select(c => c.TeacherId).Distinct().ToListAsync(ct);
        module.Change(terms, taken, teachersOfClasses);
        await SaveAsync(db, ct);
        return TypedResults.Ok(await ResponseAsync(db, module, ct));
    }

    public static async Task<Created<ModuleClassResponse>> ScheduleClass(Guid id, ModuleClassRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var module = await FindAsync(db, id, ct, tracked: false);
        var session = ModuleClass.Schedule(Guid.CreateVersion7(time.GetUtcNow()), module, request.StartsAt, request.EndsAt, request.Location, request.TeacherId);
        db.Add(session);
        await SaveAsync(db, ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/modules/{id}", ClassResponse(session, module));
    }

    public static async Task<Ok<ModuleClassResponse>> ChangeClass(Guid id, Guid classId, ModuleClassRequest request, SchoolDbContext db, CancellationToken ct)
    {
        var module = await FindAsync(db, id, ct, tracked: false);
        var session = await db.Set<ModuleClass>().SingleOrDefaultAsync(c => c.Id == classId && c.ModuleId == id, ct) ?? throw DomainRuleException.NotFound("class of this module", classId);
        session.Change(module, request.StartsAt, request.EndsAt, request.Location, request.TeacherId);
        await SaveAsync(db, ct);
        return TypedResults.Ok(ClassResponse(session, module));
    }

    public static async Task<NoContent> CancelClass(Guid id, Guid classId, SchoolDbContext db, CancellationToken ct)
    {
        var session = await db.Set<ModuleClass>().SingleOrDefaultAsync(c => c.Id == classId && c.ModuleId == id, ct) ?? throw DomainRuleException.NotFound("class of this module", classId);
        db.Remove(session);
        await SaveAsync(db, ct);
        return TypedResults.NoContent();
    }

    public static Task<Created<EnrolmentResponse>> EnrolMe(Guid id, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct) =>
        EnrolAsync(id, user.UserId, db, time, ct);

    public static Task<Created<EnrolmentResponse>> EnrolStudent(Guid id, EnrolStudentRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct) =>
        EnrolAsync(id, request.StudentId ?? throw DomainRuleException.Invalid("studentId", "The id of the student to enrol is required."), db, time, ct);

    public static async Task<Ok<List<EnrolmentResponse>>> ListEnrolments(Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var module = await FindAsync(db, id, ct, tracked: false);
        EnsureTeacherOrCoordinator(user, module, "Only the module's teachers and the school's coordinators see its students.");
        return TypedResults.Ok(await db.Set<ModuleEnrolment>().AsNoTracking().Where(e => e.ModuleId == id).OrderBy(e => e.EnrolledAt)
            .Select(e => new EnrolmentResponse(module.Id, module.Code, module.Title, e.StudentId, e.Status, e.EnrolledAt, e.Passed, e.Score, e.Note, e.ResultRecordedAt))
            .ToListAsync(ct));
    }

    public static async Task<NoContent> Withdraw(Guid id, Guid studentId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        if (user.UserId != studentId && !IsCoordinator(user))
        {
            throw DomainRuleException.Forbidden("A student withdraws only themself; coordinators withdraw anyone.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var module = await FindAsync(db, id, ct);
            var enrolment = await db.Set<ModuleEnrolment>().SingleOrDefaultAsync(e => e.ModuleId == id && e.StudentId == studentId, ct)
                ?? throw new DomainRuleException(RuleMeaning.NotFound, $"Student {studentId} is not enrolled in module {id}.");
            if (!enrolment.Withdraw())
            {
                return TypedResults.NoContent();
            }

            module.GiveBackSeat();
            if (await TrySaveAsync(db, attempt, ct))
            {
                return TypedResults.NoContent();
            }
        }
    }

    /// <summary>
    /// Records the result and, on a pass, grants or renews each of the module's qualifications until today plus its
    /// validity, all in one save (the enrolment, the holdings, the events and the scheduled expiry work).
    /// </summary>
    public static async Task<Ok<ModuleResultResponse>> RecordResult(Guid id, Guid studentId, ModuleResultRequest request, CurrentUser user,
        SchoolDbContext db, QualificationGrants grants, TimeProvider time, CancellationToken ct)
    {
        var module = await FindAsync(db, id, ct, tracked: false);
        EnsureTeacherOrCoordinator(user, module, "Only a teacher of this module, or a coordinator, records its results.");
        if (request.Passed is not { } passed)
        {
            throw DomainRuleException.Invalid("passed", "Say whether the student passed (true or false).");
        }

        var enrolment = await db.Set<ModuleEnrolment>().SingleOrDefaultAsync(e => e.ModuleId == id && e.StudentId == studentId, ct)
            ?? throw new DomainRuleException(RuleMeaning.NotFound, $"Student {studentId} is not enrolled in module {id}.");
        var now = time.GetUtcNow();
        enrolment.RecordResult(passed, request.Score, request.Note, user.UserId, now);
        var granted = new List<StudentQualification>();
        if (passed)
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            foreach (var grant in module.Grants)
            {
                granted.Add(await grants.GrantOrRenewAsync(studentId, grant.Code, today.AddDays(grant.ValidityDays), now, ct, keepLater: true));
            }
        }

        await SaveAsync(db, ct);
        return TypedResults.Ok(new ModuleResultResponse(EnrolmentOf(module, enrolment), granted.Select(StudentsApi.ToResponse).ToList()));
    }

    /// <summary>
    /// Takes a seat: counts the seats taken and raises the module's version in one transaction, so of two requests
    /// for the last seat one commits and the other, finding the version moved, counts again and is refused.
    /// </summary>
    private static async Task<Created<EnrolmentResponse>> EnrolAsync(Guid id, Guid studentId, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Students.AnyAsync(s => s.Id == studentId, ct))
        {
            throw DomainRuleException.NotFound("student", studentId);
        }

        for (var attempt = 1; ; attempt++)
        {
            var module = await FindAsync(db, id, ct);
            var enrolment = await db.Set<ModuleEnrolment>().SingleOrDefaultAsync(e => e.ModuleId == id && e.StudentId == studentId, ct);
            if (enrolment is { HoldsSeat: true })
            {
                throw new ModuleRuleException(RuleMeaning.Conflict, "already-enrolled", "The student is already enrolled in this module.");
            }

            var taken = await db.Set<ModuleEnrolment>().CountAsync(e => e.ModuleId == id && e.Status != EnrolmentStatus.Withdrawn, ct);
            module.TakeSeat(taken);
            var now = time.GetUtcNow();
            if (enrolment is null)
            {
                enrolment = ModuleEnrolment.Enrol(id, studentId, now);
                db.Add(enrolment);
            }
            else
            {
                enrolment.Rejoin(now);
            }

            if (await TrySaveAsync(db, attempt, ct))
            {
                return TypedResults.Created($"{SchoolModule.RoutePrefix}/modules/{id}/enrolments/{studentId}", EnrolmentOf(module, enrolment));
            }
        }
    }

    /// <summary>Saves; false (and a clean context, to read again) when another request changed the module first.</summary>
    private static async Task<bool> TrySaveAsync(SchoolDbContext db, int attempt, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException) when (attempt < MaxSeatAttempts)
        {
            db.ChangeTracker.Clear();
            return false;
        }
        catch (DbUpdateException)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "busy", "The module's seats kept changing while this request was answered; try again.");
        }
    }

    private static async Task SaveAsync(SchoolDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "changed-meanwhile", "The module changed while this request was answered (or its code was taken); nothing was changed. Read it again and retry.");
        }
    }

    private static ModuleTerms Terms(ModuleRequest r) => ModuleTerms.Checked(r.Code, r.Title, r.Group, r.Description, r.Capacity,
        r.Teachers?.Select(t => t is null ? null : new ModuleTeacher(t.UserId ?? Guid.Empty, t.Name ?? string.Empty, t.OrganisationId ?? Guid.Empty, t.OrganisationKind ?? string.Empty)).ToList(),
        r.Grants?.Select(g => g is null ? null : new ModuleGrant(g.Code ?? string.Empty, g.ValidityDays ?? 0)).ToList());

    private static async Task<TrainingModule> FindAsync(SchoolDbContext db, Guid id, CancellationToken ct, bool tracked = true)
    {
        var modules = tracked ? db.Set<TrainingModule>() : db.Set<TrainingModule>().AsNoTracking();
        return await modules.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw DomainRuleException.NotFound("module", id);
    }

    private static bool IsCoordinator(CurrentUser user) => user.OrganisationKind == OrganisationKinds.School && user.IsInRole(Roles.Coordinator);

    private static void EnsureTeacherOrCoordinator(CurrentUser user, TrainingModule module, string refusal)
    {
        if (!IsCoordinator(user) && !module.IsTaughtBy(user.UserId))
        {
            throw DomainRuleException.Forbidden(refusal);
        }
    }

    private static async Task<Dictionary<Guid, int>> SeatsTakenAsync(SchoolDbContext db, List<Guid> moduleIds, CancellationToken ct) =>
        await db.Set<ModuleEnrolment>().Where(e => moduleIds.Contains(e.ModuleId) && e.Status != EnrolmentStatus.Withdrawn)
            .GroupBy(e => e.ModuleId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    private static ModuleSummary Summary(Guid id, string code, string title, string group, int capacity, int taken) =>
        new(id, code, title, group, capacity, taken, Math.Max(0, capacity - taken));

    private static async Task<ModuleResponse> ResponseAsync(SchoolDbContext db, TrainingModule m, CancellationToken ct)
    {
        var taken = await db.Set<ModuleEnrolment>().CountAsync(e => e.ModuleId == m.Id && e.Status != EnrolmentStatus.Withdrawn, ct);
        var classes = (await db.Set<ModuleClass>().AsNoTracking().Where(c => c.ModuleId == m.Id).ToListAsync(ct)).OrderBy(c => c.StartsAt).ToList();
        return new ModuleResponse(m.Id, m.Code, m.Title, m.Group, m.Description, m.Capacity, taken, Math.Max(0, m.Capacity - taken), m.Teachers.ToList(),
            m.Grants.Select(g => new ModuleGrantResponse(g.Code, ReferenceCodes.Qualifications.GetValueOrDefault(g.Code, g.Code), g.ValidityDays)).OrderBy(g => g.Code, StringComparer.Ordinal).ToList(),
            classes.Select(c => ClassResponse(c, m)).ToList(), m.Version);
    }

    private static ModuleClassResponse ClassResponse(ModuleClass c, TrainingModule m) =>
        new(c.Id, c.StartsAt, c.EndsAt, c.Location, c.TeacherId, m.Teachers.FirstOrDefault(t => t.UserId == c.TeacherId)?.Name ?? string.Empty);

    private static EnrolmentResponse EnrolmentOf(TrainingModule m, ModuleEnrolment e) =>
        new(m.Id, m.Code, m.Title, e.StudentId, e.Status, e.EnrolledAt, e.Passed, e.Score, e.Note, e.ResultRecordedAt);
}
