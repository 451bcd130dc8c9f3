using CollabTraining.School;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(SchoolModule.ServiceName);
builder.AddSchool();

var app = builder.Build();
app.MapServiceDefaults();
app.MapSchoolApi();
app.Run();
