using Distribution.Gateway;
using Distribution.Silo.Demo;
using Distribution.Silo.Hosting;

// One process: a silo (embedded by default, durable with ConnectionStrings:Distribution) and the HTTP gateway.
var builder = WebApplication.CreateBuilder(args);
builder.AddDistributionSilo();
builder.AddDistributionGateway();

var app = builder.Build();
app.MapDistributionGateway();
if (args.Contains("--demo") || app.Configuration.GetValue<bool>("Hub:Demo"))
{
    app.Lifetime.ApplicationStarted.Register(() => _ = DemoNetwork.SeedAsync(
        app.Services.GetRequiredService<IGrainFactory>(), TimeProvider.System, app.Logger));
}

app.Run();
