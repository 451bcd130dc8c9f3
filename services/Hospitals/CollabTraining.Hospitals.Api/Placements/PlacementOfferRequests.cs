using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CollabTraining.Hospitals.Placements;

/// <summary>The body of a create or a change. Fields are nullable so a missing one is reported, not defaulted.</summary>
public sealed record PlacementOfferRequest(
    [property: Description("Your own hospital. Optional: the hospital in your token.")] Guid? HospitalId,
    [property: Required, StringLength(120, MinimumLength = 2)] string? Department,
    [property: Required, StringLength(120, MinimumLength = 2)] string? Specialty,
    [property: Required, StringLength(200, MinimumLength = 3)] string? Title,
    [property: Required, Description("Today or later, at most 3 years ahead.")] DateOnly? StartsOn,
    [property: Required, Description("On or after startsOn; a placement lasts at most 366 days.")] DateOnly? EndsOn,
    [property: Required, Range(1, PlacementOfferTerms.MaxSeats)] int? Seats,
    [property: Description("Who may take it. Optional: on creation any programme, study year 1 or above, no qualification; on a change the current requirements stay.")] PlacementRequirementsRequest? Requirements,
    [property: Description("Publish into the school's catalog at once (true) or keep as a draft (false). Optional: true. Ignored on a change.")] bool? Publish) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartsOn is { } starts && EndsOn is { } ends && ends < starts)
        {
            yield return new ValidationResult("The placement cannot end before it starts.", ["endsOn"]);
        }
    }

    public PlacementOfferTerms ToTerms() => new(
        Department!,
        Specialty!,
        Title!,
        StartsOn!.Value,
        EndsOn!.Value,
        Seats!.Value,
        Requirements?.MinimumStudyYear ?? 1,
        Requirements?.RequiredQualifications ?? [],
        Requirements?.AllowedProgrammes ?? []);
}

public sealed record PlacementRequirementsRequest(
    [property: Range(1, 6), Description("Optional: 1.")] int? MinimumStudyYear,
    [property: MaxLength(PlacementOfferTerms.MaxCodes), Description("School qualification codes (GET /api/school/reference/qualifications), each once. Optional: none.")] List<string>? RequiredQualifications,
    [property: MaxLength(PlacementOfferTerms.MaxCodes), Description("School programme codes (GET /api/school/reference/programmes), each once. Optional: every programme.")] List<string>? AllowedProgrammes);
