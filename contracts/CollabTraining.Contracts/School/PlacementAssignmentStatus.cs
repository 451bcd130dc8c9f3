namespace CollabTraining.Contracts.School;

/// <summary>
/// Where a placement assignment stands: one vocabulary for the school and the hospitals, in their APIs and
/// their stores. Pending and confirmed assignments hold a seat; the others do not.
/// </summary>
public enum PlacementAssignmentStatus
{
    /// <summary>Published to the hospital, awaiting its answer.</summary>
    Pending,

    /// <summary>The hospital will host the student.</summary>
    Confirmed,

    /// <summary>The hospital declined the student (with a reason), reduced its seats or withdrew the placement.</summary>
    DeclinedByHospital,

    /// <summary>The student gave the placement up (themself, or the school's coordinator on their behalf).</summary>
    DeclinedByStudent,

    /// <summary>The school's coordinator moved the student elsewhere or released the seat.</summary>
    ReleasedBySchool,
}
