using CollabTraining.Benchmarks;

// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- events [N]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- gateway [seconds] [connections]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- matching [BenchmarkDotNet options]
return args.FirstOrDefault() switch
{
    "matching" => BenchmarkDotNet.Running.BenchmarkRunner.Run<MatchingBenchmarks>(args: args[1..]).HasCriticalValidationErrors ? 1 : 0,
    "events" => await EventsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000),
    "gateway" => await GatewayBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CollabTraining.Benchmarks events [N] | gateway [seconds] [connections] | matching");
    return 2;
}
