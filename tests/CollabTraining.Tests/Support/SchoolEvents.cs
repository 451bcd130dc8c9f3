using CollabTraining.School;
using CollabTraining.School.Assignments;
using CollabTraining.School.Data;
using CollabTraining.School.Rounds;
using CollabTraining.School.Students;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Support;

/// <summary>Publishing events into the School and knowing when each one was handled; placing students as a match run would.</summary>
public static class SchoolEvents
{
    /// <summary>Publishes with a fresh message id and returns it (to wait for, or to publish again as a redelivery).</summary>
    public static async Task<Guid> SendAsync<T>(this ServiceFactory<SchoolApiMarker> factory, T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await factory.Harness.Bus.Publish(message, c => c.MessageId = id);
        return id;
    }

    /// <summary>Waits (up to 15 s) until the School's inbox holds every one of the message ids.</summary>
    public static async Task HandledAsync(this ServiceFactory<SchoolApiMarker> factory, params Guid[] messageIds)
    {
        var handled = await Eventually.HoldsAsync(
            () => factory.InScopeAsync<SchoolDbContext, bool>(async db =>
                await db.Set<CollabTraining.Messaging.Inbox.InboxMessage>().Where(m => messageIds.Contains(m.MessageId)).Select(m => m.MessageId).Distinct().CountAsync() == messageIds.Length),
            TimeSpan.FromSeconds(15));
        Assert.True(handled, "the School did not handle every message within 15 s");
    }

    public static async Task<Guid> SendAndWaitAsync<T>(this ServiceFactory<SchoolApiMarker> factory, T message)
        where T : class
    {
        var id = await factory.SendAsync(message);
        await factory.HandledAsync(id);
        return id;
    }

    /// <summary>Puts students on offers as a published match run would (a round over the offers, one pending assignment each).</summary>
    public static Task<List<Guid>> PlaceAsync(this ServiceFactory<SchoolApiMarker> factory, params (Guid OfferId, Guid HospitalId, Guid StudentId)[] placements) =>
        factory.InScopeAsync<SchoolDbContext, List<Guid>>(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var round = PlacementRound.Open(
                new RoundTerms($"Round {Guid.NewGuid():N}", placements.Select(p => p.OfferId).Distinct().ToList(), now.AddMinutes(-1), now.AddDays(7), 3), Guid.NewGuid(), now);
            db.PlacementRounds.Add(round);
            var ids = new List<Guid>();
            foreach (var (offerId, hospitalId, studentId) in placements)
            {
                var (assignment, _) = PlacementAssignment.Make(round.Id, null, offerId, hospitalId, Student.Enrol(studentId, "S0", "Student", "medicine", 4), 1, now);
                db.PlacementAssignments.Add(assignment);
                ids.Add(assignment.Id);
            }

            await db.SaveChangesAsync();
            return ids;
        });
}
