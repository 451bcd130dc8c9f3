using CollabTraining.Benchmarks;

// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- events [N]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- events --rate R --seconds S
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- gateway [seconds] [connections]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- matching [BenchmarkDotNet options]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- booking [BenchmarkDotNet options]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- decisions [seconds] [clients]
// dotnet run -c Release --project tests/CollabTraining.Benchmarks -- students-import [rows]
return args.FirstOrDefault() switch
{
    "matching" => BenchmarkDotNet.Running.BenchmarkRunner.Run<MatchingBenchmarks>(args: args[1..]).HasCriticalValidationErrors ? 1 : 0,
    "booking" => BenchmarkDotNet.Running.BenchmarkRunner.Run<BookingCapacityBenchmarks>(args: args[1..]).HasCriticalValidationErrors ? 1 : 0,
    "decisions" => await BookingDecisionBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32),
    "events" when args.Contains("--rate") => await EventRateBenchmark.RunAsync(Option("--rate", 1000), Option("--seconds", 20)),
    "events" => await EventsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000),
    "gateway" => await GatewayBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32),
    "students-import" => await StudentImportBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000),
    _ => Usage(),
};

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static int Usage()
{
    Console.Error.WriteLine("usage: CollabTraining.Benchmarks events [N] | events --rate R --seconds S | gateway [seconds] [connections] | matching | booking | decisions [seconds] [clients] | students-import [rows]");
    return 2;
}
