using System.Data.Common;
using CollabTraining.Bookings;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Sharing;

/// <summary>What the owning service is and offers: set once by Enterprises or Research.</summary>
public sealed class SharingOptions
{
    /// <summary>The service's name in events and URLs (<c>enterprises</c>, <c>research</c>).</summary>
    public required string Service { get; init; }

    public required string RoutePrefix { get; init; }

    /// <summary>The kinds of resource this service's owners offer.</summary>
    public required IReadOnlyList<ResourceKind> Kinds { get; init; }

    /// <summary>How long someone offered a freed slot from the waitlist has to claim it (<c>Sharing:ClaimWindow</c>).</summary>
    public TimeSpan ClaimWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far past a refused slot the next free one is looked for (<c>Sharing:NextFreeHorizon</c>).</summary>
    public TimeSpan NextFreeHorizon { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>
/// Where every change to a calendar is decided and saved. Requests hand their decision to the service's group
/// commit (the same mechanism the inbox uses): the decisions that arrive while one commit is being written are
/// decided one after the other in the next transaction — each sees the ones before it — and committed once, so
/// a burst costs one durable commit, not one per decision. Each decision runs behind its own savepoint: a
/// refusal undoes only itself. The caller learns its outcome (the booking, or the refusal) after the commit.
/// With SQLite the transaction holds the database's write lock from its start (BEGIN IMMEDIATE), so two
/// instances on one file decide in turn on committed state; with SQL Server the resource's version (a
/// concurrency token every decision bumps) makes the loser retry on the state the winner committed.
/// </summary>
public sealed class BookingDesk(InboxBatchers groups, IServiceScopeFactory scopes) : IAsyncDisposable
{
    private const int Attempts = 3;

    // The unit of work of the group being decided: one scope and context per group transaction, not per
    // decision (the group's decisions run one after another on the group commit's loop, never side by side).
    private Group? _group;

    public async Task<T> RunAsync<T>(Func<BookingWork, Task<T>> decide, CancellationToken cancellationToken)
    {
        T result = default!;
        await groups.For("booking-decisions").RunAsync(async (connection, transaction) =>
        {
            var group = await GroupForAsync(connection, transaction, cancellationToken);
            var db = group.Db;
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    await transaction.SaveAsync("decision", cancellationToken);
                    try
                    {
                        result = await decide(group.Work);
                        await db.SaveChangesAsync(cancellationToken);
                        await transaction.ReleaseAsync("decision", cancellationToken);
                        return;
                    }
                    catch (DbUpdateConcurrencyException) when (attempt < Attempts)
                    {
                        // Another instance changed the resource since this decision read it: decide again on its state.
                        await transaction.RollbackAsync("decision", cancellationToken);
                        db.ChangeTracker.Clear();
                    }
                }
            }
            finally
            {
                // The next decision starts from the database, as if in a context of its own.
                db.ChangeTracker.Clear();
            }
        }, cancellationToken);
        return result;
    }

    private async Task<Group> GroupForAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_group is { } current && ReferenceEquals(current.Transaction, transaction))
        {
            return current;
        }

        if (_group is { } previous)
        {
            await previous.Scope.DisposeAsync();
        }

        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        db.Database.AutoSavepointsEnabled = false;
        _group = new Group(transaction, scope, db, scope.ServiceProvider.GetRequiredService<BookingWork>());
        return _group;
    }

    public async ValueTask DisposeAsync()
    {
        if (_group is { } group)
        {
            await group.Scope.DisposeAsync();
            _group = null;
        }
    }

    private sealed record Group(DbTransaction Transaction, AsyncServiceScope Scope, ServiceDbContext Db, BookingWork Work);
}
