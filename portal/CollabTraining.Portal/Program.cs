using CollabTraining.Portal;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(PortalModule.ServiceName);
builder.AddPortal();

var app = builder.Build();
app.MapPortal();
app.Run();
