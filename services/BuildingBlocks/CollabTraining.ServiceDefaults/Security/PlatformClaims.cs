namespace CollabTraining.ServiceDefaults.Security;

/// <summary>The claim names every token carries, whoever issued it.</summary>
public static class PlatformClaims
{
    public const string UserId = "sub";
    public const string Name = "name";
    public const string OrganisationId = "org";
    public const string OrganisationKind = "org_kind";
    public const string Role = "role";
}

public static class OrganisationKinds
{
    public const string School = "school";
    public const string Hospital = "hospital";
    public const string Institute = "institute";
    public const string Enterprise = "enterprise";
}

public static class Roles
{
    public const string Coordinator = "coordinator";
    public const string Teacher = "teacher";
    public const string Mentor = "mentor";
    public const string Student = "student";
    public const string Staff = "staff";
    public const string Admin = "admin";
}

/// <summary>Authorisation policy names shared by the gateway and the services.</summary>
public static class Policies
{
    /// <summary>The roles that make a school member staff (the policy and <c>CurrentUser.IsSchoolStaff</c> share them).</summary>
    public static readonly string[] SchoolStaffRoles = [Roles.Coordinator, Roles.Teacher, Roles.Staff];

    /// <summary>The roles that make a hospital member staff: coordinators, mentors and other staff.</summary>
    public static readonly string[] HospitalStaffRoles = [Roles.Coordinator, Roles.Mentor, Roles.Staff];

    public const string Authenticated = "authenticated";
    public const string HospitalStaff = "hospital-staff";
    public const string HospitalCoordinator = "hospital-coordinator";
    public const string SchoolStaff = "school-staff";
    public const string SchoolCoordinator = "school-coordinator";
    public const string Student = "student";
    public const string Admin = "admin";
}
