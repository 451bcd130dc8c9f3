using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Records;

/// <summary>Evaluations and reviewed hours from the hospitals, into each student's training record.</summary>
public sealed class TrainingRecordConsumer(SchoolDbContext db) : IConsumer<EvaluationRecorded>, IConsumer<HoursReviewed>
{
    public async Task Consume(ConsumeContext<EvaluationRecorded> context)
    {
        var m = context.Message;
        if (await db.RecordedEvaluations.AnyAsync(e => e.EvaluationId == m.EvaluationId, context.CancellationToken))
        {
            return;
        }

        db.RecordedEvaluations.Add(RecordedEvaluation.From(m));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<HoursReviewed> context)
    {
        var m = context.Message;
        var hours = await db.RecordedHours.SingleOrDefaultAsync(h => h.LogId == m.LogId, context.CancellationToken);
        if (hours is null)
        {
            db.RecordedHours.Add(RecordedHours.From(m));
        }
        else if (!hours.Apply(m))
        {
            return;
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }
}
