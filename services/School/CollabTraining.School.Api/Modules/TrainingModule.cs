using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Modules;

/// <summary>A module's place in the micro-programme.</summary>
public static class ModuleGroups
{
    public const string Core = "core";
    public const string Practice = "practice";
    public const string Extension = "extension";

    public static readonly string[] All = [Core, Practice, Extension];
}

/// <summary>A refusal with a name a client can act on (<c>reason</c> in the problem), e.g. <c>module-full</c>.</summary>
public sealed class ModuleRuleException(RuleMeaning meaning, string reason, string message) : DomainRuleException(meaning, message)
{
    public string Reason { get; } = reason;

    public override IReadOnlyDictionary<string, object> Details => new Dictionary<string, object> { ["reason"] = Reason };
}

/// <summary>Someone who teaches a module: a school teacher or a partner's staff member (name and organisation as their token gives them).</summary>
public sealed record ModuleTeacher(Guid UserId, string Name, Guid OrganisationId, string OrganisationKind);

/// <summary>A qualification that completing the module grants (or renews), valid for <see cref="ValidityDays"/> from the day of the pass.</summary>
public sealed record ModuleGrant(string Code, int ValidityDays);

/// <summary>What a coordinator says a module is; <see cref="Checked"/> refuses every invalid part, naming its field.</summary>
public sealed record ModuleTerms(string Code, string Title, string Group, string Description, int Capacity, IReadOnlyList<ModuleTeacher> Teachers, IReadOnlyList<ModuleGrant> Grants)
{
    public const int MaxCapacity = 1000;
    public const int MaxValidityDays = 3650;

    private static readonly string[] TeacherKinds = [OrganisationKinds.School, OrganisationKinds.Hospital, OrganisationKinds.Institute, OrganisationKinds.Enterprise];

    public static ModuleTerms Checked(string? code, string? title, string? group, string? description, int? capacity,
        IReadOnlyList<ModuleTeacher?>? teachers, IReadOnlyList<ModuleGrant?>? grants)
    {
        code = code?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(code) || code.Length > 40 || !code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw DomainRuleException.Invalid("code", "A module code is 1 to 40 lowercase letters, digits and hyphens, e.g. ai-fundamentals.");
        }

        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            throw DomainRuleException.Invalid("title", "A title is required, at most 200 characters.");
        }

        group = group?.Trim().ToLowerInvariant();
        if (group is null || !ModuleGroups.All.Contains(group))
        {
            throw DomainRuleException.Invalid("group", $"The group is one of {string.Join(", ", ModuleGroups.All)}.");
        }

        if ((description ?? string.Empty).Length > 4000)
        {
            throw DomainRuleException.Invalid("description", "At most 4000 characters.");
        }

        if (capacity is not (>= 1 and <= MaxCapacity))
        {
            throw DomainRuleException.Invalid("capacity", $"The capacity is 1 to {MaxCapacity} students.");
        }

        if (teachers is null || teachers.Count == 0 || teachers.Count > 20)
        {
            throw DomainRuleException.Invalid("teachers", "A module has 1 to 20 teachers.");
        }

        var checkedTeachers = new List<ModuleTeacher>();
        for (var i = 0; i < teachers.Count; i++)
        {
            var t = teachers[i];
            var at = $"teachers[{i}]";
            if (t is null || t.UserId == Guid.Empty)
            {
                throw DomainRuleException.Invalid(at + ".userId", "Each teacher has a user id.");
            }

            if (string.IsNullOrWhiteSpace(t.Name) || t.Name.Length > 200)
            {
                throw DomainRuleException.Invalid(at + ".name", "Each teacher has a name, at most 200 characters.");
            }

            if (t.OrganisationId == Guid.Empty)
            {
                throw DomainRuleException.Invalid(at + ".organisationId", "Each teacher has the id of their organisation.");
            }

            if (!TeacherKinds.Contains(t.OrganisationKind))
            {
                throw DomainRuleException.Invalid(at + ".organisationKind", $"The organisation kind is one of {string.Join(", ", TeacherKinds)}.");
            }

            if (checkedTeachers.Any(c => c.UserId == t.UserId))
            {
                throw DomainRuleException.Invalid(at + ".userId", "This teacher is listed twice.");
            }

            checkedTeachers.Add(t with { Name = t.Name.Trim() });
        }

        grants ??= [];
        var checkedGrants = new List<ModuleGrant>();
        for (var i = 0; i < grants.Count; i++)
        {
            var g = grants[i];
            var at = $"grants[{i}]";
            var grantCode = g?.Code?.Trim().ToLowerInvariant();
            if (g is null || grantCode is null || !ReferenceCodes.Qualifications.ContainsKey(grantCode))
            {
                throw DomainRuleException.Invalid(at + ".code", $"The qualification is one of the school's ({string.Join(", ", ReferenceCodes.Qualifications.Keys)}).");
            }

            if (g.ValidityDays is < 1 or > MaxValidityDays)
            {
                throw DomainRuleException.Invalid(at + ".validityDays", $"A qualification is valid for 1 to {MaxValidityDays} days.");
            }

            if (checkedGrants.Any(c => c.Code == grantCode))
            {
                throw DomainRuleException.Invalid(at + ".code", "This qualification is listed twice.");
            }

            checkedGrants.Add(new ModuleGrant(grantCode, g.ValidityDays));
        }

        return new ModuleTerms(code, title.Trim(), group, (description ?? string.Empty).Trim(), capacity.Value, checkedTeachers, checkedGrants);
    }
}

/// <summary>
/// A training module of the micro-programme: who teaches it, how many students it takes, and the qualifications a
/// pass grants. <see cref="Version"/> is its concurrency token and rises with every change to it and with every
/// seat taken or given back, so two requests for the last seat cannot both commit.
/// </summary>
public sealed class TrainingModule
{
    private readonly List<ModuleTeacher> _teachers = [];
    private readonly List<ModuleGrant> _grants = [];

    private TrainingModule()
    {
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public string Group { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public int Capacity { get; private set; }

    public IReadOnlyList<ModuleTeacher> Teachers => _teachers;

    public IReadOnlyList<ModuleGrant> Grants => _grants;

    public long Version { get; private set; }

    public static TrainingModule Create(Guid id, ModuleTerms terms)
    {
        var module = new TrainingModule { Id = id, Version = 0 };
        module.Apply(terms);
        return module;
    }

    public bool IsTaughtBy(Guid userId) => _teachers.Any(t => t.UserId == userId);

    /// <summary>Changes the module; refused when the capacity would fall below the seats taken or a teacher of a scheduled class would leave.</summary>
    public void Change(ModuleTerms terms, int seatsTaken, IReadOnlyCollection<Guid> teachersOfClasses)
    {
        if (terms.Capacity < seatsTaken)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "capacity-below-enrolled", $"{seatsTaken} students are enrolled; the capacity cannot fall below that.");
        }

        if (teachersOfClasses.FirstOrDefault(t => terms.Teachers.All(n => n.UserId != t)) is var leaving && leaving != Guid.Empty)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "teacher-has-classes", $"Teacher {leaving} teaches scheduled classes of this module; give those classes to another teacher first.");
        }

        Apply(terms);
    }

    /// <summary>Takes one seat for a student; <c>module-full</c> when none is left.</summary>
    public void TakeSeat(int seatsTaken)
    {
        if (seatsTaken >= Capacity)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "module-full", $"All {Capacity} seats of {Title} are taken.");
        }

        Version++;
    }

    public void GiveBackSeat() => Version++;

    private void Apply(ModuleTerms terms)
    {
        Code = terms.Code;
        Title = terms.Title;
        Group = terms.Group;
        Description = terms.Description;
        Capacity = terms.Capacity;
        _teachers.Clear();
        _teachers.AddRange(terms.Teachers);
        _grants.Clear();
        _grants.AddRange(terms.Grants);
        Version++;
    }
}

/// <summary>One scheduled session of a module, taught by one of its teachers.</summary>
public sealed class ModuleClass
{
    private ModuleClass()
    {
    }

    public Guid Id { get; private set; }

    public Guid ModuleId { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public DateTimeOffset EndsAt { get; private set; }

    public string Location { get; private set; } = string.Empty;

    public Guid TeacherId { get; private set; }

    public static ModuleClass Schedule(Guid id, TrainingModule module, DateTimeOffset? startsAt, DateTimeOffset? endsAt, string? location, Guid? teacherId)
    {
        var session = new ModuleClass { Id = id, ModuleId = module.Id };
        session.Change(module, startsAt, endsAt, location, teacherId);
        return session;
    }

    public void Change(TrainingModule module, DateTimeOffset? startsAt, DateTimeOffset? endsAt, string? location, Guid? teacherId)
    {
        if (startsAt is not { } start || start.Year < 2000 || start.Year >= 2200)
        {
            throw DomainRuleException.Invalid("startsAt", "A class starts between 2000 and 2200.");
        }

        if (endsAt is not { } end || end.Year >= 2200)
        {
            throw DomainRuleException.Invalid("endsAt", "A class ends before 2200.");
        }

        if (end <= start)
        {
            throw DomainRuleException.Invalid("endsAt", "A class ends after it starts.");
        }

        if (end - start > TimeSpan.FromDays(1))
        {
            throw DomainRuleException.Invalid("endsAt", "A class lasts at most a day.");
        }

        if (string.IsNullOrWhiteSpace(location) || location.Length > 200)
        {
            throw DomainRuleException.Invalid("location", "A location is required, at most 200 characters.");
        }

        if (teacherId is not { } teacher || !module.IsTaughtBy(teacher))
        {
            throw DomainRuleException.Invalid("teacherId", "The class is taught by one of the module's teachers.");
        }

        StartsAt = start.ToUniversalTime();
        EndsAt = end.ToUniversalTime();
        Location = location.Trim();
        TeacherId = teacher;
    }
}

internal sealed class TrainingModuleConfiguration : IEntityTypeConfiguration<TrainingModule>
{
    public void Configure(EntityTypeBuilder<TrainingModule> builder)
    {
        builder.ToTable("TrainingModules");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Code).HasMaxLength(40);
        builder.HasIndex(m => m.Code).IsUnique();
        builder.Property(m => m.Title).HasMaxLength(200);
        builder.Property(m => m.Group).HasMaxLength(20);
        builder.Property(m => m.Description).HasMaxLength(4000);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.OwnsMany(m => m.Teachers, t =>
        {
            t.ToTable("TrainingModuleTeachers");
            t.WithOwner().HasForeignKey("ModuleId");

            // A surrogate key: a change replaces the list, and a teacher kept on must not collide with their old row.
            t.Property<Guid>("Id");
            t.HasKey("Id");
            t.Property(x => x.Name).HasMaxLength(200);
            t.Property(x => x.OrganisationKind).HasMaxLength(20);
            t.HasIndex(x => x.UserId);
        });
        builder.Navigation(m => m.Teachers).HasField("_teachers");
        builder.OwnsMany(m => m.Grants, g =>
        {
            g.ToTable("TrainingModuleGrants");
            g.WithOwner().HasForeignKey("ModuleId");
            g.Property<Guid>("Id");
            g.HasKey("Id");
            g.Property(x => x.Code).HasMaxLength(60);
        });
        builder.Navigation(m => m.Grants).HasField("_grants");
    }
}

internal sealed class ModuleClassConfiguration : IEntityTypeConfiguration<ModuleClass>
{
    public void Configure(EntityTypeBuilder<ModuleClass> builder)
    {
        builder.ToTable("ModuleClasses");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Location).HasMaxLength(200);
        builder.HasOne<TrainingModule>().WithMany().HasForeignKey(c => c.ModuleId);
        builder.HasIndex(c => new { c.ModuleId, c.StartsAt });
    }
}
