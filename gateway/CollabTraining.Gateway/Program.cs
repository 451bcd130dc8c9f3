using CollabTraining.Gateway;
using CollabTraining.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(GatewayModule.ServiceName);
builder.AddGateway();

var app = builder.Build();
app.MapGateway();
app.Run();
