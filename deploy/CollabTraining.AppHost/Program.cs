using CollabTraining.AppHost;
using Microsoft.Extensions.Configuration;

// The whole platform on one machine: the broker, the four services, the gateway, the web portal and the Aspire dashboard,
// on SQLite files under the repository's ignored .data folder, with the demo world seeded on first start.
var builder = DistributedApplication.CreateBuilder(args);
var platform = builder.Configuration.GetSection("Platform");
var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
var dataDirectory = Path.Combine(repository, ".data");

var broker = Broker.Add(builder, platform, dataDirectory);
var signingKey = platform["DevelopmentSigningKey"] ?? "local-development-signing-key-change-me-0123456789";
var servicePorts = new Dictionary<string, int> { ["hospitals"] = 5101, ["enterprises"] = 5102, ["research"] = 5103, ["school"] = 5104 };

IResourceBuilder<ProjectResource> Service<TProject>(string name)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name, launchProfileName: null)
        .WithHttpEndpoint(port: platform.GetValue($"ServicePorts:{name}", servicePorts[name]), isProxied: false)
        .WithEnvironment("Auth__DevelopmentIssuer__SigningKey", signingKey)
        .WithEnvironment("Database__DataDirectory", Path.Combine(dataDirectory, "db"))
        .WithEnvironment("Demo__Seed", "true")
        .WithBroker(broker)
        .WithHttpHealthCheck("/health/ready");

var services = new[]
{
    Service<Projects.CollabTraining_Hospitals_Api>("hospitals"),
    Service<Projects.CollabTraining_Enterprises_Api>("enterprises"),
    Service<Projects.CollabTraining_Research_Api>("research"),
    Service<Projects.CollabTraining_School_Api>("school"),
};

// The school's resource catalog asks the owners for free units directly (service to service, the caller's token forwarded).
services[3].WithEnvironment("Owners__enterprises", services[1].GetEndpoint("http")).WithEnvironment("Owners__research", services[2].GetEndpoint("http"));

var gateway = builder.AddProject<Projects.CollabTraining_Gateway>("gateway", launchProfileName: null)
    .WithHttpEndpoint(port: platform.GetValue("GatewayPort", 5100), isProxied: false)
    .WithEnvironment("Auth__DevelopmentIssuer__SigningKey", signingKey)
    // The portal signs users in from its own address and names the browser's in X-Forwarded-For (sign-ins count per browser).
    .WithEnvironment("Gateway__RateLimit__TrustedProxies__0", "127.0.0.1")
    .WithEnvironment("Gateway__RateLimit__TrustedProxies__1", "::1")
    .WithHttpHealthCheck("/health");

// The web portal, served by the gateway at /. It needs the gateway only when a user arrives, so it does not wait for it:
// the gateway's /health includes the portal, and a portal waiting for the gateway would never start.
var portal = builder.AddProject<Projects.CollabTraining_Portal>("portal", launchProfileName: null)
    .WithHttpEndpoint(port: platform.GetValue("PortalPort", 5105), isProxied: false)
    .WithEnvironment("Auth__DevelopmentIssuer__SigningKey", signingKey)
    .WithEnvironment("Portal__Gateway", gateway.GetEndpoint("http"))
    .WithHttpHealthCheck("/health/ready");
gateway.WithEnvironment("ReverseProxy__Clusters__portal__Destinations__primary__Address", portal.GetEndpoint("http"));
foreach (var service in services)
{
    gateway.WithEnvironment($"ReverseProxy__Clusters__{service.Resource.Name}__Destinations__primary__Address", service.GetEndpoint("http"))
        .WaitFor(service);
}

builder.Build().Run();
