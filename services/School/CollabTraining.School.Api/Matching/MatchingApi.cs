using System.ComponentModel.DataAnnotations;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabTraining.School.Matching;

public sealed record SimulatedStudent(
    [property: Required] Guid? StudentId,
    [property: Required, Range(1, 6)] int? StudyYear,
    [property: Required] List<Guid>? Ranking,
    Dictionary<Guid, string>? Ineligible);

public sealed record SimulatedOffer(
    [property: Required] Guid? OfferId,
    [property: Required, Range(0, 1000)] int? Seats,
    List<Guid>? HospitalRanking);

/// <summary>A what-if instance: nothing in it needs to exist, and nothing is stored.</summary>
public sealed record SimulationRequest(
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString),
        System.ComponentModel.Description("The lottery seed (a number or a string). Optional: 0.")] long? Seed,
    [property: Required, MaxLength(20_000)] List<SimulatedStudent>? Students,
    [property: Required, MaxLength(5_000)] List<SimulatedOffer>? Offers);

/// <summary>A what-if result: the engine's whole answer, with the rank distribution labelled by rank.</summary>
public sealed record SimulationResponse(
    string AlgorithmVersion,
    [property: System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.WriteAsString)] long Seed,
    string InputDigest,
    IReadOnlyList<MatchAssignment> Assignments,
    IReadOnlyList<Guid> Unmatched,
    IReadOnlyList<StudentExplanation> Explanations,
    StabilityCertificate Certificate,
    Runs.RankDistributionView RankDistribution);

public static class MatchingApi
{
    public const int MaxRanks = Rounds.RoundTerms.MaxRanksLimit;

    public static void MapMatchingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/matching").WithTags("Matching");
        group.MapPost("/simulate", Simulate).WithName("SimulateMatch")
            .WithSummary("Run the placement match on a posted instance and return the full result; nothing is stored")
            .RequireAuthorization(Policies.SchoolStaff);
    }

    public static Results<Ok<SimulationResponse>, ValidationProblem> Simulate(SimulationRequest request)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var instance = new MatchInstance(
            request.Students!.Select(s => new MatchStudent(
                s.StudentId!.Value,
                s.StudyYear!.Value,
                s.Ranking!.Select(o => new RankedOffer(o, s.Ineligible?.GetValueOrDefault(o))).ToList())).ToList(),
            request.Offers!.Select(o => new MatchOffer(o.OfferId!.Value, o.Seats!.Value, o.HospitalRanking)).ToList(),
            request.Seed ?? 0);
        var r = MatchEngine.Run(instance);
        return TypedResults.Ok(new SimulationResponse(r.AlgorithmVersion, r.Seed, r.InputDigest, r.Assignments, r.Unmatched, r.Explanations, r.Certificate,
            Runs.RankDistributionView.From(r.RankDistribution)));
    }

    /// <summary>Everything the engine would refuse, named by field, so a coordinator can fix the instance.</summary>
    private static Dictionary<string, string[]> Validate(SimulationRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Students!.Any(s => s is null) || request.Offers!.Any(o => o is null))
        {
            errors[request.Students!.Any(s => s is null) ? "students" : "offers"] = ["A list entry is null."];
            return errors;
        }

        var offerIds = new HashSet<Guid>();
        for (var i = 0; i < request.Offers!.Count; i++)
        {
            if (!offerIds.Add(request.Offers[i].OfferId!.Value))
            {
                errors[$"offers[{i}].offerId"] = ["This offer appears twice."];
            }
        }

        var studentIds = new HashSet<Guid>();
        for (var i = 0; i < request.Students!.Count; i++)
        {
            var student = request.Students[i];
            if (!studentIds.Add(student.StudentId!.Value))
            {
                errors[$"students[{i}].studentId"] = ["This student appears twice."];
            }

            if (student.Ineligible?.Values.Any(v => string.IsNullOrEmpty(v) || v.Length > 500) == true)
            {
                errors[$"students[{i}].ineligible"] = ["Each reason is 1 to 500 characters."];
            }
            else if (student.Ranking!.Count > MaxRanks)
            {
                errors[$"students[{i}].ranking"] = [$"At most {MaxRanks} offers may be ranked."];
            }
            else if (student.Ranking.Distinct().Count() != student.Ranking.Count)
            {
                errors[$"students[{i}].ranking"] = ["An offer is ranked twice."];
            }
            else if (student.Ranking.Where(o => !offerIds.Contains(o)).Select(o => (Guid?)o).FirstOrDefault() is { } unknown)
            {
                errors[$"students[{i}].ranking"] = [$"Offer {unknown} is not among the offers."];
            }
        }

        for (var i = 0; i < request.Offers.Count; i++)
        {
            if (request.Offers[i].HospitalRanking?.Where(s => !studentIds.Contains(s)).Select(s => (Guid?)s).FirstOrDefault() is { } stranger)
            {
                errors[$"offers[{i}].hospitalRanking"] = [$"Student {stranger} is not among the students."];
            }
            else if (request.Offers[i].HospitalRanking is { } ranking && ranking.Distinct().Count() != ranking.Count)
            {
                errors[$"offers[{i}].hospitalRanking"] = ["A student is ranked twice."];
            }
        }

        return errors;
    }
}
