using MudBlazor;

namespace CollabTraining.Portal.Api;

public static class ProblemSnackbar
{
    /// <summary>Shows what a form could not show at a field (or a whole problem, when <paramref name="form"/> is null) as an error snackbar.</summary>
    public static void AddProblem(this ISnackbar snackbar, ApiProblem problem, FormProblems? form = null)
    {
        var lines = form?.Show(problem) ?? [problem.Summary, .. problem.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))];
        if (lines.Count > 0)
        {
            snackbar.Add(string.Join(" ", lines), Severity.Error, o => o.RequireInteraction = problem.Status >= 500);
        }
    }
}
