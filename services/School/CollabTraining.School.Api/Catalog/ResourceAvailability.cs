namespace CollabTraining.School.Catalog;

/// <summary>
/// A resource's availability over the window a search asked about: "available" with the units free
/// throughout it, or "unavailable" with the reason (fully booked, or the owner's answer is unknown).
/// </summary>
/// <param name="Status">available or unavailable.</param>
/// <param name="FreeUnits">Units free throughout the window: 0 when the owner said none are, null when its answer is unknown.</param>
/// <param name="Fits">With a <c>units</c> filter: whether that many units are free; null otherwise, or when unknown.</param>
/// <param name="Reason">Why it is unavailable.</param>
public sealed record ResourceAvailability(string Status, int? FreeUnits, bool? Fits, string? Reason)
{
    public const string Available = "available";
    public const string Unavailable = "unavailable";

    public static ResourceAvailability Unknown(string reason) => new(Unavailable, null, null, reason);

    public static ResourceAvailability From(OwnerAvailability answer, int? units)
    {
        var free = Math.Max(0, answer.FreeUnits);
        var fits = units is { } wanted ? free >= wanted : (bool?)null;
        return free > 0
            ? new ResourceAvailability(Available, free, fits, null)
            : new ResourceAvailability(Unavailable, 0, fits, "No unit is free throughout this window.");
    }
}
