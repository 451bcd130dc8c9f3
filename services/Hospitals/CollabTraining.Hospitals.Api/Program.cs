using CollabTraining.Hospitals;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(HospitalsModule.ServiceName);
builder.AddHospitals();

var app = builder.Build();
app.MapServiceDefaults();
app.MapHospitalsApi();
app.Run();
