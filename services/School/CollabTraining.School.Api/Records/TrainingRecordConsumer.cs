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

        db.RecordedEvaluations.Add(new RecordedEvaluation
        {
            EvaluationId = m.EvaluationId,
            AssignmentId = m.AssignmentId,
            StudentId = m.StudentId,
            HospitalId = m.HospitalId,
            MentorName = m.MentorName,
            Kind = m.Kind,
            HistoryTaking = m.Scores.HistoryTaking,
            PhysicalExamination = m.Scores.PhysicalExamination,
            ClinicalReasoning = m.Scores.ClinicalReasoning,
            ProceduralSkills = m.Scores.ProceduralSkills,
            Communication = m.Scores.Communication,
            Professionalism = m.Scores.Professionalism,
            Entrustment = m.Entrustment,
            Narrative = m.Narrative,
            RecordedAt = m.OccurredAt,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<HoursReviewed> context)
    {
        var m = context.Message;
        var hours = await db.RecordedHours.SingleOrDefaultAsync(h => h.LogId == m.LogId, context.CancellationToken);
        if (hours is null)
        {
            db.RecordedHours.Add(new RecordedHours { LogId = m.LogId, AssignmentId = m.AssignmentId, StudentId = m.StudentId, Date = m.Date, Hours = m.Hours, Approved = m.Approved, Version = m.Version });
        }
        else if (m.Version > hours.Version)
        {
            hours.Approved = m.Approved;
            hours.Version = m.Version;
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }
}
