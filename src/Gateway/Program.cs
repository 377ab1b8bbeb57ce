using Distribution.Gateway;
using Distribution.Gateway.Cluster;
using Orleans.Dashboard;

// The standalone gateway: an Orleans client of a PostgreSQL-clustered set of silos.
var builder = WebApplication.CreateBuilder(HostSettings.For(args));
var gatewayLoss = new GatewayLossWatch();
var connectionString = builder.Configuration.GetConnectionString("Distribution")
    ?? throw new InvalidOperationException("ConnectionStrings:Distribution is required for a standalone gateway.");
builder.UseOrleansClient(client =>
{
    if (Distribution.Gateway.Operations.Telemetry.TracingEnabled(builder.Configuration))
    {
        client.AddActivityPropagation();
    }

    client
    .Configure<Orleans.Configuration.ClusterOptions>(builder.Configuration.GetSection("Orleans"))
    // How soon silos that joined (or left) are used as gateways, and how long a call may wait for its answer.
    .Configure<Orleans.Configuration.GatewayOptions>(builder.Configuration.GetSection("Orleans:Gateway"))
    .Configure<Orleans.Configuration.ClientMessagingOptions>(builder.Configuration.GetSection("Orleans:Messaging"))
    .UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = connectionString;
    })
    .AddClusterConnectionStatusObserver(gatewayLoss)
    .AddOutgoingGrainCallFilter(gatewayLoss)
    .AddDashboard();
});
builder.AddDistributionGateway();

var app = builder.Build();
app.MapDistributionGateway();
app.Run();

public partial class Program;
