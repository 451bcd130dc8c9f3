using CollabTraining.Enterprises;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(EnterprisesModule.ServiceName);
builder.AddEnterprises();

var app = builder.Build();
app.MapServiceDefaults();
app.MapEnterprisesApi();
app.Run();
