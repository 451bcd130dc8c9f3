namespace CollabTraining.Portal.Api;

/// <summary>What an API call gave: the value, or the problem that came instead. Pages show the problem; nothing throws.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

public static class ApiResult
{
    public static ApiResult<T> Success<T>(T value) => new(value, null);

    public static ApiResult<T> Failure<T>(ApiProblem problem) => new(default, problem);
}
