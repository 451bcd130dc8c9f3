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
    ];

    public static IEnumerable<NavSection> SectionsFor(PortalUser user)
    {
        if (user.IsStudent)
        {
            // Placement rounds, bookings, hours, the training record and projects come here.
            yield return new NavSection("NavSection_Student", []);
        }

        if (user.IsHospitalStaff)
        {
            yield return new NavSection("NavSection_Hospital",
            [
                new("Nav_OurPlacementOffers", $"catalog?tab=placements&hospitalId={user.OrganisationId}", Icons.Material.Filled.LocalHospital),
            ]);
        }

        if (user.IsResourceOwnerStaff)
        {
            yield return new NavSection("NavSection_ResourceOwner",
            [
                new("Nav_OurResources", $"catalog?tab=resources&ownerId={user.OrganisationId}", Icons.Material.Filled.Memory),
                new("Nav_OurMentors", $"catalog?tab=mentors&ownerId={user.OrganisationId}", Icons.Material.Filled.Engineering),
            ]);
        }

        if (user.IsSchoolStaff)
        {
            yield return new NavSection("NavSection_School",
            [
                new("Nav_PartnerResources", "catalog?tab=resources", Icons.Material.Filled.Hub),
            ]);
        }
    }
}
