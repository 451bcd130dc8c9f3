using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.School.Students;
using CollabTraining.Tests.Support;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Benchmarks;

/// <summary>
/// One request importing <c>rows</c> students into the School service in-process (its real pipeline on a fresh
/// SQLite file), beside two baselines measured in the same run: CsvHelper alone reading the same file, and the same
/// students inserted by plain EF Core (AddRange + one SaveChanges) into a fresh SQLite database of the same schema.
/// </summary>
public static class StudentImportBenchmark
{
    public static async Task<int> RunAsync(int rows)
    {
        // The service's settings are copied beside this program; the factory would look for its project folder instead.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_COLLABTRAINING_SCHOOL_API", AppContext.BaseDirectory);
        var csv = new StringBuilder("studentNumber,name,programme,studyYear,cohort,userId\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"IMP{i:0000000},Student {i},medicine,{1 + (i % 6)},2026,\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());

        var parse = Stopwatch.StartNew();
        var parsed = 0;
        await using (var reader = CsvReader.Create(bytes))
        {
            await foreach (var row in reader.GetRecordsAsync<StudentRegisterRow>())
            {
                parsed += row.StudentNumber.Length > 0 ? 1 : 0;
            }
        }

        parse.Stop();

        // Once small to warm EF Core, SQLite and the JIT (the import below runs warm too), then timed on a fresh database.
        await InsertWithEfAsync(1_000);
        var insert = await InsertWithEfAsync(rows);

        using var host = new ServiceFactory<SchoolApiMarker>();
        var coordinator = host.ClientAs(TestAuth.SchoolCoordinator);
        coordinator.Timeout = TimeSpan.FromMinutes(5);
        await coordinator.GetAsync("/api/school/students?pageSize=1"); // warm the host and the connection
        var import = Stopwatch.StartNew();
        var response = await coordinator.PostAsync("/api/school/students/import", new ByteArrayContent(bytes) { Headers = { ContentType = new("text/csv") } });
        import.Stop();
        var body = await response.Content.ReadAsStringAsync();
        var total = (await (await coordinator.GetAsync("/api/school/students?pageSize=1")).ReadNodeAsync())["total"]!.GetValue<int>();

        Console.WriteLine($"students-import benchmark: {rows:N0} rows, {bytes.Length / 1024.0 / 1024.0:0.0} MiB, one request, in-process School service on SQLite (WAL, synchronous=FULL)");
        Console.WriteLine($"  CsvHelper reading the file alone:             {parse.Elapsed.TotalMilliseconds,8:N0} ms  ({parsed:N0} rows)");
        Console.WriteLine($"  plain EF AddRange + SaveChanges (baseline):   {insert.TotalMilliseconds,8:N0} ms");
        Console.WriteLine($"  POST /api/school/students/import:             {import.Elapsed.TotalMilliseconds,8:N0} ms  -> {(int)response.StatusCode} {body}; students now {total:N0}");
        Console.WriteLine($"  ratio import / EF baseline: {import.Elapsed / insert:0.00}   import / parse: {import.Elapsed / parse.Elapsed:0.0}");
        return response.IsSuccessStatusCode && total == rows ? 0 : 1;
    }

    private static async Task<TimeSpan> InsertWithEfAsync(int rows)
    {
        using var host = new ServiceFactory<SchoolApiMarker>();
        _ = host.CreateClient();
        var watch = Stopwatch.StartNew();
        await host.InScopeAsync<SchoolDbContext, int>(async db =>
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Students.AddRange(Enumerable.Range(0, rows).Select(i =>
                Student.Enrol(Guid.CreateVersion7(), $"IMP{i:0000000}", $"Student {i}", "medicine", 1 + (i % 6), "2026")));
            return await db.SaveChangesAsync();
        });
        return watch.Elapsed;
    }
}
