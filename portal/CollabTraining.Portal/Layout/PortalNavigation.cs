using CollabTraining.Portal.SignIn;
using MudBlazor;

namespace CollabTraining.Portal.Layout;

/// <summary>One entry of the navigation menu: the text's resource key, where it goes, its icon.</summary>
public sealed record NavEntry(string TextKey, string Href, string Icon);

/// <summary>A group of the menu for one kind of user.</summary>
public sealed record NavSection(string TitleKey, IReadOnlyList<NavEntry> Entries);

/// <summary>
/// The navigation menu by role, in one place: a new page adds its entry here (with its text in <c>Localization/texts.py</c>).
/// A section without entries is not shown.
/// </summary>
public static class PortalNavigation
{
    /// <summary>What every signed-in user has.</summary>
    public static IReadOnlyList<NavEntry> Common { get; } =
    [
        new("Nav_Catalog", "catalog", Icons.Material.Filled.TravelExplore),
        new("Nav_MyCalendar", "calendar", Icons.Material.Filled.CalendarMonth),
    ];

    public static IEnumerable<NavSection> SectionsFor(PortalUser user)
    {
        if (user.IsStudent)
        {
            yield return new NavSection("NavSection_Student",
            [
                new("Nav_PlacementRounds", "student/rounds", Icons.Material.Filled.FormatListNumbered),
                new("Nav_MyPlacement", "student/placement", Icons.Material.Filled.LocalHospital),
                new("Nav_MyHours", "student/hours", Icons.Material.Filled.Schedule),
                new("Nav_TrainingRecord", "student/record", Icons.Material.Filled.School),
                new("Nav_BookResource", "bookings", Icons.Material.Filled.EventAvailable),
                new("Nav_MyBookings", "bookings/mine", Icons.Material.Filled.EventNote),
                new("Nav_MyProjects", "student/projects", Icons.Material.Filled.Lightbulb),
            ]);
        }

        if (user.IsHospitalStaff)
        {
            yield return new NavSection("NavSection_Hospital",
            [
                new("Nav_HospitalOffers", "hospital/offers", Icons.Material.Filled.LocalHospital),
                new("Nav_HospitalAssignments", "hospital/assignments", Icons.Material.Filled.AssignmentInd),
                new("Nav_HospitalMentors", "hospital/mentors", Icons.Material.Filled.MedicalServices),
                new("Nav_HospitalEvaluations", "hospital/evaluations", Icons.Material.Filled.RateReview),
                new("Nav_HospitalHours", "hospital/hours", Icons.Material.Filled.PendingActions),
            ]);
        }

        if (user.IsResourceOwnerStaff)
        {
            yield return new NavSection("NavSection_ResourceOwner",
            [
                new("Nav_OwnerResources", "owner/resources", Icons.Material.Filled.Memory),
                new("Nav_OwnerApprovals", "owner/approvals", Icons.Material.Filled.FactCheck),
                new("Nav_OwnerMentorRequests", "owner/mentor-requests", Icons.Material.Filled.Engineering),
                new("Nav_OurMentors", $"catalog?tab=mentors&ownerId={user.OrganisationId}", Icons.Material.Filled.Groups),
            ]);
        }

        if (user.IsSchoolStaff)
        {
            yield return new NavSection("NavSection_School",
            [
                new("Nav_SchoolRounds", "school/rounds", Icons.Material.Filled.FormatListNumbered),
                new("Nav_SchoolProjects", "school/projects", Icons.Material.Filled.Lightbulb),
                new("Nav_SchoolModules", "school/modules", Icons.Material.Filled.WorkspacePremium),
                new("Nav_SchoolStudents", "school/students", Icons.Material.Filled.People),
                new("Nav_SchoolDashboards", "school/dashboards", Icons.Material.Filled.Insights),
                new("Nav_PartnerResources", "catalog?tab=resources", Icons.Material.Filled.Hub),
            ]);
        }
    }
}
