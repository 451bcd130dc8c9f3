using System.Reflection;
using CollabTraining.Gateway;

namespace CollabTraining.Tests.Unit;

/// <summary>The dependency directions that keep the layout honest, pinned so they cannot rot.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_gateway_and_the_shared_defaults_pull_in_neither_EF_Core_nor_MassTransit()
    {
        var reached = Reach(typeof(GatewayMarker).Assembly);
        Assert.Contains("CollabTraining.ServiceDefaults", reached);
        Assert.DoesNotContain(reached, name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || name.StartsWith("MassTransit", StringComparison.Ordinal));
        Assert.DoesNotContain("CollabTraining.Messaging", reached);
    }

    [Fact]
    public void The_booking_kernel_and_the_domain_primitives_are_domain_only()
    {
        foreach (var root in new[] { typeof(Bookings.Resource).Assembly, typeof(CollabTraining.Domain.DomainRuleException).Assembly })
        {
            var reached = Reach(root);
            Assert.DoesNotContain(reached, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || name.StartsWith("MassTransit", StringComparison.Ordinal));
            Assert.DoesNotContain("CollabTraining.ServiceDefaults", reached);
            Assert.DoesNotContain("CollabTraining.Messaging", reached);
        }
    }

    [Fact]
    public void Domain_rule_failures_carry_a_meaning_not_an_http_status()
    {
        var exception = typeof(CollabTraining.Domain.DomainRuleException);
        Assert.DoesNotContain(exception.GetProperties(), p => p.Name.Contains("Status", StringComparison.Ordinal));
        Assert.DoesNotContain(exception.GetConstructors().SelectMany(c => c.GetParameters()), p => p.ParameterType == typeof(int));
    }

    /// <summary>Every assembly reachable by references from <paramref name="root"/>, following only the platform's own.</summary>
    private static HashSet<string> Reach(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<AssemblyName>(root.GetReferencedAssemblies());
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name.Name!) || !name.Name!.StartsWith("CollabTraining", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var next in Assembly.Load(name).GetReferencedAssemblies())
            {
                queue.Enqueue(next);
            }
        }

        return seen;
    }
}
