using CollabTraining.Research;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(ResearchModule.ServiceName);
builder.AddResearch();

var app = builder.Build();
app.MapServiceDefaults();
app.MapResearchApi();
app.Run();
