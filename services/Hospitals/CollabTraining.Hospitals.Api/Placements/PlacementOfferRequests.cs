using System.ComponentModel.DataAnnotations;

namespace CollabTraining.Hospitals.Placements;

/// <summary>The body of a create or a change. Fields are nullable so a missing one is reported, not defaulted.</summary>
public sealed record PlacementOfferRequest(
    Guid? HospitalId,
    [property: Required, StringLength(120, MinimumLength = 2)] string? Department,
    [property: Required, StringLength(120, MinimumLength = 2)] string? Specialty,
    [property: Required, StringLength(200, MinimumLength = 3)] string? Title,
    [property: Required] DateOnly? StartsOn,
    [property: Required] DateOnly? EndsOn,
    [property: Required, Range(1, PlacementOfferTerms.MaxSeats)] int? Seats,
    PlacementRequirementsRequest? Requirements,
    bool Publish = true) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StartsOn is { } starts && EndsOn is { } ends && ends < starts)
        {
            yield return new ValidationResult("The placement cannot end before it starts.", [nameof(EndsOn)]);
        }
    }

    public PlacementOfferTerms ToTerms() => new(
        Department!.Trim(),
        Specialty!.Trim(),
        Title!.Trim(),
        StartsOn!.Value,
        EndsOn!.Value,
        Seats!.Value,
        Requirements?.MinimumStudyYear ?? 1,
        Normalise(Requirements?.RequiredQualifications),
        Normalise(Requirements?.AllowedProgrammes));

    private static List<string> Normalise(IEnumerable<string>? codes) =>
        codes?.Where(c => c is not null).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList() ?? [];
}

public sealed record PlacementRequirementsRequest(
    [property: Range(1, 6)] int? MinimumStudyYear,
    [property: MaxLength(20)] List<string>? RequiredQualifications,
    [property: MaxLength(20)] List<string>? AllowedProgrammes);
