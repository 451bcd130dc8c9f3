using System.ComponentModel.DataAnnotations;
using CollabTraining.Demo;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Organisations;

/// <summary>
/// A partner organisation a resource-owning service knows: a hospital, an institute or an enterprise. Its id
/// is the organisation id in its staff's tokens; the service checks ownership against it.
/// </summary>
public sealed class PartnerOrganisation
{
    private PartnerOrganisation()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public static PartnerOrganisation Register(Guid id, string name) => new() { Id = id, Name = name };

    public void Rename(string name) => Name = name;
}

public sealed class PartnerOrganisationConfiguration(string tableName) : IEntityTypeConfiguration<PartnerOrganisation>
{
    public void Configure(EntityTypeBuilder<PartnerOrganisation> builder)
    {
        builder.ToTable(tableName);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Name).HasMaxLength(200);
    }
}

public sealed record PartnerOrganisationResponse(Guid Id, string Name);

public sealed record RegisterPartnerRequest([property: Required, StringLength(200, MinimumLength = 2)] string? Name);

public static class PartnerOrganisationsApi
{
    /// <summary>List partners (anyone signed in) and register or rename one (administrators).</summary>
    public static RouteGroupBuilder MapPartnerOrganisationsApi(this IEndpointRouteBuilder app, string path, string tag)
    {
        var group = app.MapGroup(path).WithTags(tag);
        var name = path.Trim('/').Replace('/', '-');
        group.MapGet("/", ListPartners).WithName($"{name}-list").WithSummary($"{tag}: the registered partners");
        group.MapPut("/{id:guid}", RegisterPartner).WithName($"{name}-register")
            .WithSummary($"{tag}: register or rename a partner (platform administrators)")
            .RequireAuthorization(Policies.Admin);
        return group;
    }

    public static async Task<Ok<List<PartnerOrganisationResponse>>> ListPartners(ServiceDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<PartnerOrganisation>().AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new PartnerOrganisationResponse(o.Id, o.Name)).ToListAsync(ct));

    public static async Task<Ok<PartnerOrganisationResponse>> RegisterPartner(Guid id, RegisterPartnerRequest request, ServiceDbContext db, CancellationToken ct)
    {
        var partner = await db.Set<PartnerOrganisation>().FindAsync([id], ct);
        if (partner is null)
        {
            partner = PartnerOrganisation.Register(id, request.Name!);
            db.Add(partner);
        }
        else
        {
            partner.Rename(request.Name!);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PartnerOrganisationResponse(partner.Id, partner.Name));
    }
}

/// <summary>Registers the demo partners of one kind when <c>Demo:Organisations</c> (default: <c>Demo:Seed</c>) is true.</summary>
public sealed class DemoPartnerSeeder(ServiceDbContext db, IConfiguration configuration, IEnumerable<DemoOrganisation> partners) : IDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Organisations", configuration.GetValue("Demo:Seed", false)))
        {
            return;
        }

        foreach (var org in partners)
        {
            if (await db.Set<PartnerOrganisation>().FindAsync([org.Id], cancellationToken) is null)
            {
                db.Add(PartnerOrganisation.Register(org.Id, org.Name));
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two instances starting on one empty database: if the other registered them first, all is well.
            db.ChangeTracker.Clear();
            var ids = partners.Select(p => p.Id).ToList();
            if (await db.Set<PartnerOrganisation>().CountAsync(o => ids.Contains(o.Id), cancellationToken) < ids.Count)
            {
                throw;
            }
        }
    }
}

public static class PartnerOrganisationExtensions
{
    /// <summary>
    /// Validation of this assembly's request bodies. The generator registers validators per calling assembly and
    /// supports one call site per assembly, so every registration here goes through this one.
    /// </summary>
    internal static IServiceCollection AddOrganisationsValidation(this IServiceCollection services) => services.AddValidation();

    /// <summary>
    /// The partner registry of a resource-owning service, seeded with the demo partners of its kind (register it
    /// before the service's other seeders). Its own endpoints are validated from here: the validation generator
    /// registers validators per calling assembly.
    /// </summary>
    public static IServiceCollection AddPartnerOrganisations(this IServiceCollection services, IReadOnlyList<DemoOrganisation> demoPartners)
    {
        services.AddOrganisationsValidation();
        return services.AddScoped<IDataSeeder>(sp => new DemoPartnerSeeder(
            sp.GetRequiredService<ServiceDbContext>(), sp.GetRequiredService<IConfiguration>(), demoPartners));
    }
}
