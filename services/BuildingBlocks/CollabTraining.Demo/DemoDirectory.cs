using System.Security.Cryptography;
using System.Text;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Demo;

public sealed record DemoOrganisation(Guid Id, string Key, string Name, string Kind);

public sealed record DemoUser(Guid Id, string UserName, string DisplayName, DemoOrganisation Organisation, IReadOnlyList<string> Roles);

/// <summary>
/// The seeded demo world for the embedded default: one school, three hospitals, two institutes, two
/// enterprises, their staff and mentors, and 200 students. Ids are derived from names, so every service
/// and the development issuer agree on them without talking to each other.
/// </summary>
public static class DemoDirectory
{
    public const int StudentCount = 200;

    public static Guid IdFor(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("collabtraining-demo:" + key)).AsSpan(0, 16);
        return new Guid(hash);
    }

    private static DemoOrganisation Org(string key, string name, string kind) => new(IdFor("org:" + key), key, name, kind);

    public static DemoOrganisation School { get; } = Org("northbridge", "Northbridge Medical School", OrganisationKinds.School);

    public static IReadOnlyList<DemoOrganisation> Hospitals { get; } =
    [
        Org("st-marys", "St Mary's University Hospital", OrganisationKinds.Hospital),
        Org("riverside", "Riverside General Hospital", OrganisationKinds.Hospital),
        Org("childrens", "Northbridge Children's Hospital", OrganisationKinds.Hospital),
    ];

    public static IReadOnlyList<DemoOrganisation> Institutes { get; } =
    [
        Org("imaging-institute", "Institute for Biomedical Imaging", OrganisationKinds.Institute),
        Org("genomics-institute", "Genomics Research Institute", OrganisationKinds.Institute),
    ];

    public static IReadOnlyList<DemoOrganisation> Enterprises { get; } =
    [
        Org("helix-compute", "Helix Compute", OrganisationKinds.Enterprise),
        Org("medsim", "MedSim Devices", OrganisationKinds.Enterprise),
    ];

    public static IReadOnlyList<DemoOrganisation> Organisations { get; } =
        [School, .. Hospitals, .. Institutes, .. Enterprises];

    public static IReadOnlyList<DemoUser> Users { get; } = BuildUsers();

    public static DemoUser? FindUser(string userName) =>
        Users.FirstOrDefault(u => string.Equals(u.UserName, userName, StringComparison.OrdinalIgnoreCase));

    public static DemoUser Student(int number) => FindUser($"student{number:000}@{School.Key}.demo")
        ?? throw new ArgumentOutOfRangeException(nameof(number));

    private static List<DemoUser> BuildUsers()
    {
        var users = new List<DemoUser>();

        void Add(DemoOrganisation org, string local, string display, params string[] roles)
        {
            var userName = $"{local}@{org.Key}.demo";
            users.Add(new DemoUser(IdFor("user:" + userName), userName, display, org, roles));
        }

        Add(School, "coordinator", "School Coordinator", Roles.Coordinator, Roles.Staff);
        Add(School, "teacher", "School Teacher", Roles.Teacher, Roles.Staff);
        Add(School, "admin", "Platform Administrator", Roles.Admin, Roles.Staff);
        foreach (var hospital in Hospitals)
        {
            Add(hospital, "coordinator", $"{hospital.Name} Coordinator", Roles.Coordinator, Roles.Staff);
            Add(hospital, "mentor1", $"{hospital.Name} Mentor 1", Roles.Mentor, Roles.Staff);
            Add(hospital, "mentor2", $"{hospital.Name} Mentor 2", Roles.Mentor, Roles.Staff);
        }

        foreach (var org in Institutes.Concat(Enterprises))
        {
            Add(org, "staff", $"{org.Name} Staff", Roles.Staff);
            Add(org, "mentor", $"{org.Name} Engineering Mentor", Roles.Mentor, Roles.Staff);
        }

        for (var i = 1; i <= StudentCount; i++)
        {
            Add(School, $"student{i:000}", $"Student {i:000}", Roles.Student);
        }

        return users;
    }
}

public static class DemoTokens
{
    /// <summary>A development token for a demo user.</summary>
    public static string Issue(this DevelopmentTokenIssuer issuer, DemoUser user) =>
        issuer.Issue(user.Id, user.DisplayName, user.Organisation.Id, user.Organisation.Kind, user.Roles);
}
