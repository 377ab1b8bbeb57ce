using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// The ERP-centric design as an HTTP service, so it pays for HTTP and JSON like the hub does:
/// POST /v1/orders (the hub's order body; 201 with the allocation, 200 for a known order id, 400 for
/// a malformed order, 422 when a line cannot be filled and backorders are not allowed, 503 when
/// PostgreSQL fails) and GET /health/ready. Run by the benchmark as a child process:
/// <c>Distribution.Benchmark erp-serve [--port N]</c> with the connection string in
/// <see cref="ConnectionVariable"/>; it stops when its standard input closes (or on SIGTERM).
/// </summary>
internal static class ErpServer
{
    public const string Command = "erp-serve";
    public const string ConnectionVariable = "DISTRIBUTION_ERP_CONNECTION";

    /// <summary>The line on standard output that tells the parent where the service listens.</summary>
    public const string ListeningPrefix = "erp-serve listening on ";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var port = 0;
        if (args is ["--port", var value] && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535)
            port = p;
        else if (args.Count > 0)
            return Fail($"usage: {Command} [--port N]  (connection string in {ConnectionVariable})");
        if (Environment.GetEnvironmentVariable(ConnectionVariable) is not { Length: > 0 } connection)
            return Fail($"{ConnectionVariable} is not set");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));

        // Ctrl+C in a terminal reaches the whole process group: the parent stops its load and
        // then this service (by closing standard input), so the signal must not end it first.
        builder.Services.AddSingleton<IHostLifetime, ParentStopsLifetime>();
        using var ignoreInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);

        var sourceBuilder = new NpgsqlDataSourceBuilder(connection);
        sourceBuilder.ConnectionStringBuilder.ApplicationName ??= "distribution-erp-centric";
        await using var db = sourceBuilder.Build();

        WarehouseMap map;
        try
        {
            map = await WarehouseMap.LoadAsync(db, CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            return Fail($"cannot read erp_warehouse: {e.Message}");
        }

        await using var app = builder.Build();
        var allocator = new ErpAllocator(db, map);
        app.MapPost("/v1/orders", (HttpRequest request) => PlaceAsync(request, allocator));
        app.MapGet("/health/ready", async (CancellationToken ct) =>
        {
            try
            {
                await using var ping = db.CreateCommand("SELECT 1");
                await ping.ExecuteScalarAsync(ct);
                return Results.Ok();
            }
            catch (NpgsqlException)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        });

        await app.StartAsync();
        Console.WriteLine(ListeningPrefix + app.Urls.First());
        Console.Out.Flush();

        // Standard input closing is the parent's stop signal; it also closes when the parent dies.
        await Task.Run(() => Console.In.ReadToEnd());
        await app.StopAsync();
        return 0;
    }

    private static async Task<IResult> PlaceAsync(HttpRequest request, ErpAllocator allocator)
    {
        var ct = request.HttpContext.RequestAborted;
        OrderBody? order;
        try
        {
            order = await request.ReadFromJsonAsync(ApiJson.Default.OrderBody, ct);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(e.Message);
        }
        catch (InvalidOperationException)
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        if (Invalid(order) is { } problem)
            return Results.BadRequest(problem);

        try
        {
            var outcome = await allocator.PlaceAsync(order!, ct);
            return outcome.Verdict switch
            {
                ErpVerdict.Placed => Results.Json(outcome.Result, ApiJson.Default.OrderResult, statusCode: StatusCodes.Status201Created),
                ErpVerdict.Replayed => Results.Json(outcome.Result, ApiJson.Default.OrderResult),
                _ => Results.UnprocessableEntity(outcome.Reason),
            };
        }
        catch (NpgsqlException e)
        {
            // Nothing was committed, so the client may resend the same order id.
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>What is wrong with an order this service cannot take, or null.</summary>
    private static string? Invalid(OrderBody? order)
    {
        if (order is null)
            return "an order body is required";
        if (string.IsNullOrEmpty(order.OrderId) || order.OrderId.Length > 100)
            return "orderId: 1-100 characters";
        if (order.ShipTo is null)
            return "shipTo is required";
        if (string.IsNullOrEmpty(order.Channel))
            return "channel is required";
        if (order.Lines is not { Count: > 0 })
            return "at least one line is required";
        if (order.Lines.Any(l => l is null || string.IsNullOrEmpty(l.LineId) || string.IsNullOrEmpty(l.Sku) || l.Quantity <= 0))
            return "every line needs a lineId, a sku and a quantity > 0";
        if (order.Lines.Select(l => l.LineId).Distinct(StringComparer.Ordinal).Count() != order.Lines.Count)
            return "lineIds must be distinct";

        // Lines may ship from different warehouses; one ship-from for the whole order is not modelled.
        return order.AllowSplit ? null : "this ERP-centric comparison takes allowSplit: true only";
    }

    /// <summary>No signal handling: the parent decides when the service stops.</summary>
    private sealed class ParentStopsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"{Command}: {message}");
        return 2;
    }
}
