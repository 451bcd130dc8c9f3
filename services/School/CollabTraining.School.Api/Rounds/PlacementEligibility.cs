using CollabTraining.School.Catalog;
using CollabTraining.School.Students;

namespace CollabTraining.School.Rounds;

/// <summary>
/// Whether a student may take a placement: study year, programme, and every required qualification held
/// and still valid on the placement's last day. The answer names the first unmet requirement in words a
/// student understands.
/// </summary>
public static class PlacementEligibility
{
    public static string? UnmetRequirement(Student student, IEnumerable<StudentQualification> qualifications, CatalogPlacement placement)
    {
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

        var held = qualifications.ToDictionary(q => q.Code, q => q.ExpiresOn, StringComparer.OrdinalIgnoreCase);
        foreach (var required in placement.RequiredQualifications)
        {
            if (!held.TryGetValue(required, out var expiresOn))
            {
                return $"the {required} qualification is required and you do not hold it";
            }

            if (expiresOn < placement.EndsOn)
            {
                return $"your {required} qualification expires on {expiresOn:yyyy-MM-dd}, before the placement ends on {placement.EndsOn:yyyy-MM-dd}";
            }
        }

        return null;
    }
}
