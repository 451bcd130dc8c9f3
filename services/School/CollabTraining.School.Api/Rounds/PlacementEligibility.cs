using CollabTraining.School.Catalog;
using CollabTraining.School.Students;

namespace CollabTraining.School.Rounds;

/// <summary>
/// Whether a student may take a placement: not started yet, open to students, study year, programme, every required
/// qualification held and still valid on the placement's last day, and no placement the student already
/// holds in the same weeks. The answer names the first unmet requirement in words a student understands.
/// </summary>
public static class PlacementEligibility
{
    public static string? UnmetRequirement(Student student, IEnumerable<StudentQualification> qualifications, CatalogPlacement placement, IEnumerable<CatalogPlacement> held, DateOnly today)
    {
        if (placement.StartsOn < today)
        {
            return $"the placement started on {placement.StartsOn:yyyy-MM-dd}, too late to join";
        }

        if (placement.Withdrawn)
        {
            return "the hospital withdrew this placement";
        }

        if (placement.Closed)
        {
            return "the hospital closed this placement to new students";
        }

        if (student.StudyYear < placement.MinimumStudyYear)
        {
            return $"study year {placement.MinimumStudyYear} or above is required (you are in year {student.StudyYear})";
        }

        if (placement.AllowedProgrammes.Count > 0 && !placement.AllowedProgrammes.Contains(student.Programme, StringComparer.OrdinalIgnoreCase))
        {
            return $"the placement is open to {string.Join(", ", placement.AllowedProgrammes)} only (you study {student.Programme})";
        }

        // A revoked qualification is not held, whatever its expiry said.
        var valid = qualifications.Where(q => !q.IsRevoked).ToDictionary(q => q.Code, q => q.ExpiresOn, StringComparer.OrdinalIgnoreCase);
        foreach (var required in placement.RequiredQualifications)
        {
            if (!valid.TryGetValue(required, out var expiresOn))
            {
                return $"the {required} qualification is required and you do not hold it";
            }

            if (expiresOn < placement.EndsOn)
            {
                return $"your {required} qualification expires on {expiresOn:yyyy-MM-dd}, before the placement ends on {placement.EndsOn:yyyy-MM-dd}";
            }
        }

        if (held.FirstOrDefault(h => Overlaps(h, placement)) is { } clash)
        {
            return clash.OfferId == placement.OfferId
                ? "you already hold this placement"
                : $"you already hold '{clash.Title}' at {clash.HospitalName} from {clash.StartsOn:yyyy-MM-dd} to {clash.EndsOn:yyyy-MM-dd}, which overlaps it";
        }

        return null;
    }

    public static bool Overlaps(CatalogPlacement a, CatalogPlacement b) => a.StartsOn <= b.EndsOn && b.StartsOn <= a.EndsOn;
}
