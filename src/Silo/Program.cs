using Distribution.Gateway;
using Distribution.Silo.Demo;
using Distribution.Silo.Hosting;

// One process: a silo (embedded by default, durable with ConnectionStrings:Distribution) and the HTTP gateway.
// --demo is a switch, not a configuration key: taken out so it cannot swallow the next argument (e.g. --urls).
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(HostSettings.For([.. args.Where(a => a != "--demo")]));
builder.AddDistributionSilo();
builder.AddDistributionGateway();

var app = builder.Build();
app.MapDistributionGateway();
if (demo || app.Configuration.GetValue<bool>("Hub:Demo"))
{
    app.Lifetime.ApplicationStarted.Register(() => _ = DemoNetwork.SeedAsync(
        app.Services.GetRequiredService<IGrainFactory>(), TimeProvider.System, app.Logger));
}

app.Run();
