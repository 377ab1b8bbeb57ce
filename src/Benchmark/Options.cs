using System.Globalization;
using Npgsql;

namespace Distribution.Benchmark;

/// <summary>Command-line options of the allocation benchmark.</summary>
internal sealed class Options
{
    public const string Usage = """
        Closed-loop benchmark against the public HTTP API: allocation (POST /v1/orders, the default)
        or warehouse-event ingest (POST /v1/events, --mode events).

        Usage: dotnet run -c Release --project src/Benchmark -- [options]

          --passes N           replenishment mode: network passes to time (default 3)
          --mode MODE          orders (default), events (see "Events mode" below) or replenishment
                               (see "Replenishment mode" below)
          --url URL            base URL of the system under test (default http://127.0.0.1:8080)
          --api-key KEY        API key sent as X-Api-Key (default: environment variable
                               DISTRIBUTION_API_KEY); it needs the admin scope (seeding, metrics,
                               silos), or orders:write, orders:read and inventory:read with --skip-seed
          --warehouses N       warehouses on the map (default 20)
          --skus N             SKUs, SKU-000001... (default 50000)
          --on-hand N          on-hand per SKU-location (default 1000000; 5 with --scarce)
          --scarce             orders mode: scarce-stock run, small on-hand, expects backorders and no
                               oversell (start from a fresh system: reservations of earlier runs would count)
          --concurrency LIST   orders (events mode: batches) in flight per level, comma-separated
                               (default 8,16,64,256)
          --batch-size N       events mode: events per POST /v1/events, 1-1000 (default 100)
          --duration S         measured seconds per level (default 20)
          --warmup S           warm-up seconds before each level (default 5)
          --seed N             seed for the map, the SKU popularity and the orders/events (default 42)
          --skip-seed          the network is already loaded: do not create warehouses/items/stock
          --run-id ID          prefix of order and event ids, so reruns never collide (default a UTC
                               timestamp; at most 80 characters in events mode)
          --csv FILE           append one result row per level to FILE (header written if new; use
                               one file per mode, their columns differ)
          --timeline FILE      orders mode: write FILE, one CSV row per second of load (warm-up included):
                               acknowledged orders, 503s, other failed attempts, p99 ms of the orders
                               answered that second, and activations per silo from
                               GET /v1/operations/silos polled every 2 s (for scale-out runs, e.g.
                               --concurrency 64 --warmup 0 --duration 150)
          --server-pid PID     also report CPU% of PID and its descendants (repeatable)
          --ready-timeout S    seconds to wait for GET /health/ready (default 120)
          --erp CONNECTION     orders mode: also run the ERP-centric comparison (see below) on the
                               PostgreSQL database CONNECTION (an Npgsql connection string), first,
                               before the hub is loaded; then the hub; then both side by side
          --hub-database CONNECTION
                               durable runs: the hub's own PostgreSQL database (an Npgsql connection
                               string). After seeding, its tables are vacuumed and analyzed, as the
                               ERP's are after loading, so no level is measured while PostgreSQL
                               is still settling the million rows it has just taken (nothing
                               to settle with --skip-seed)
          --no-availability-probe
                               orders mode: no availability probe. By default one extra closed-loop
                               client (not counted in --concurrency) runs during each measured window,
                               alternating GET /v1/availability/{sku} and POST /v1/availability/query
                               with 100 distinct SKUs, both drawn by the orders' Zipf popularity;
                               reported as avail p50/p99 and query100 p50/p99 (successful reads only;
                               other answers are probe errors)
          -h, --help           this text

        ERP-centric comparison (--erp): the design a database-centred ERP uses, written here, as an
        HTTP service (this program, started as a child process on a free loopback port): POST
        /v1/orders runs one READ COMMITTED transaction per order that, line by line in SKU order,
        locks (SELECT ... FOR UPDATE) the stock row of the nearest warehouse that fills the line,
        checks it again and reserves; a line no warehouse fills is backordered whole. Its tables
        (erp_warehouse, erp_stock, erp_order, erp_order_line) are dropped, recreated and loaded by
        binary COPY with the same network and --on-hand at every invocation. It gets the same order
        streams, levels, warm-up and duration as the hub, without the availability probe; its rows
        report the CPU of the child process (then of each --server-pid), its check runs in SQL:
        reserved <= on hand in every row, the acknowledged units reserved per SKU-location and every
        acknowledged order stored. Then the hub runs as usual and a last table compares orders/s and
        p99 per level, hub at c=64 against the ERP at c=64 and at its best level. Its connections:
        Npgsql's pool (at most 100 unless CONNECTION sets Maximum Pool Size). --csv also gets its
        rows, with url "erp-centric".

        Events mode: each worker posts batches of --batch-size events for one warehouse (uniform per
        batch), SKUs by Zipf(1.1), 80% Received (quantity 1-5) and 20% Adjusted (-1 DAMAGE or +1 FOUND),
        each with a unique event id. 503 and transport failures are retried with the same batch (a
        "duplicate" verdict then means an earlier attempt landed); a 429 (the hub behind applying
        events, nothing taken) is waited out for its Retry-After and counted as throttled, not an error. Per level it reports accepted
        events/s, batch latency, the apply lag (acceptance to application) from the histogram
        distribution_events_apply_lag_seconds of GET /metrics, and an exactly-once check: the on-hand of
        up to 200 of the hottest SKU-locations (GET /v1/warehouses/{id}/skus/{sku}), read before the
        level and again once the journal has drained (polled while it still moves; given up 60 s
        after it stopped moving), must have moved by exactly the quantities of the accepted events.

        Replenishment mode: after seeding, imports a supplier, gives every item that supplier and puts
        a reorder-point policy (recommend) on every SKU-location through POST /v1/master-data/import
        (JSON files of 20,000 rows); a share of 1% of them (every 100th) gets a reorder point above its
        on-hand, so the first pass finds that many needs. Then it runs --passes passes (POST
        /v1/replenishment/review, default 3) and prints each pass's duration as the hub measured it,
        the SKU-locations reviewed and the needs found, and the median. --concurrency, --duration and
        --warmup do not apply.

        Exit code: 0 no oversell (events: no exactly-once mismatch), 1 oversell or acknowledged
        allocations (with --erp also orders) missing in either run (events: an exactly-once
        mismatch), 2 setup or usage error (events also: sample unreadable, or event ids of an
        earlier run met again, i.e. a reused --run-id).
        """;

    /// <summary>Most events POST /v1/events takes at once.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>Longest --run-id in events mode, so event ids stay within the API's 100 characters.</summary>
    public const int MaxEventRunIdLength = 80;

    public BenchmarkMode Mode { get; private set; } = BenchmarkMode.Orders;
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1:8080/");
    public string? ApiKey { get; private set; } = Environment.GetEnvironmentVariable("DISTRIBUTION_API_KEY") is { Length: > 0 } key ? key : null;
    public int Warehouses { get; private set; } = 20;
    public int Skus { get; private set; } = 50_000;
    public long OnHand { get; private set; } = 1_000_000;
    public bool Scarce { get; private set; }
    public IReadOnlyList<int> Concurrency { get; private set; } = [8, 16, 64, 256];
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);
    public int Seed { get; private set; } = 42;
    public bool SkipSeed { get; private set; }
    public string RunId { get; private set; } = "bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    public string? CsvPath { get; private set; }
    public string? TimelinePath { get; private set; }
    public IReadOnlyList<int> ServerPids { get; private set; } = [];
    public TimeSpan ReadyTimeout { get; private set; } = TimeSpan.FromSeconds(120);
    public bool AvailabilityProbe { get; private set; } = true;
    public int BatchSize { get; private set; } = 100;
    public int Passes { get; private set; } = 3;

    /// <summary>Npgsql connection string of the ERP-centric comparison's database; null: no comparison.</summary>
    public string? ErpConnection { get; private set; }

    /// <summary>The hub's PostgreSQL database, settled after seeding (--hub-database).</summary>
    public string? HubDatabase { get; private set; }

    /// <summary>Requests in flight during setup and the final availability check.</summary>
    public int SetupParallelism => 32;

    /// <summary>Parses <paramref name="args"/>; returns null when help was asked for.</summary>
    /// <exception cref="OptionsException">An option is unknown, lacks its value or is out of range.</exception>
    public static Options? Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        var onHandGiven = false;
        var pids = new List<int>();

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string? inline = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (name.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            string Value() => inline ?? (++i < args.Count ? args[i] : throw new OptionsException($"{name} needs a value"));

            switch (name)
            {
                case "-h" or "--help":
                    return null;
                case "--passes":
                    options.Passes = ParseInt(name, Value(), 1);
                    break;
                case "--mode":
                    var mode = Value();
                    options.Mode = mode.ToLowerInvariant() switch
                    {
                        "orders" => BenchmarkMode.Orders,
                        "events" => BenchmarkMode.Events,
                        "replenishment" => BenchmarkMode.Replenishment,
                        _ => throw new OptionsException($"--mode: '{mode}' is not orders, events or replenishment"),
                    };
                    break;
                case "--url":
                    var url = Value();
                    if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri))
                        throw new OptionsException($"--url: '{url}' is not an absolute URL");
                    options.BaseUrl = uri;
                    break;
                case "--api-key":
                    options.ApiKey = Value();
                    break;
                case "--warehouses":
                    options.Warehouses = ParseInt(name, Value(), min: 1);
                    break;
                case "--skus":
                    options.Skus = ParseInt(name, Value(), min: 1);
                    break;
                case "--on-hand":
                    options.OnHand = ParseLong(name, Value(), min: 0);
                    onHandGiven = true;
                    break;
                case "--scarce":
                    options.Scarce = true;
                    break;
                case "--concurrency":
                    options.Concurrency = Value()
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(v => ParseInt(name, v, min: 1))
                        .ToArray();
                    if (options.Concurrency.Count == 0)
                        throw new OptionsException("--concurrency needs at least one level");
                    break;
                case "--batch-size":
                    options.BatchSize = ParseInt(name, Value(), min: 1);
                    if (options.BatchSize > MaxBatchSize)
                        throw new OptionsException($"--batch-size: at most {MaxBatchSize} events per batch");
                    break;
                case "--duration":
                    options.Duration = ParseSeconds(name, Value(), allowZero: false);
                    break;
                case "--warmup":
                    options.Warmup = ParseSeconds(name, Value(), allowZero: true);
                    break;
                case "--seed":
                    options.Seed = ParseInt(name, Value(), min: int.MinValue);
                    break;
                case "--skip-seed":
                    options.SkipSeed = true;
                    break;
                case "--run-id":
                    var runId = Value();
                    if (runId.Length == 0 || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                        throw new OptionsException("--run-id: use letters, digits, '-', '_' or '.'");
                    options.RunId = runId;
                    break;
                case "--csv":
                    options.CsvPath = Value();
                    break;
                case "--timeline":
                    options.TimelinePath = Value();
                    break;
                case "--server-pid":
                    pids.Add(ParseInt(name, Value(), min: 1));
                    break;
                case "--ready-timeout":
                    options.ReadyTimeout = ParseSeconds(name, Value(), allowZero: true);
                    break;
                case "--no-availability-probe":
                    options.AvailabilityProbe = false;
                    break;
                case "--erp":
                    options.ErpConnection = ParseConnection(name, Value());
                    break;
                case "--hub-database":
                    options.HubDatabase = ParseConnection(name, Value());
                    break;
                default:
                    throw new OptionsException($"unknown option '{args[i]}'");
            }
        }

        if (options.Mode == BenchmarkMode.Events && options.Scarce)
            throw new OptionsException("--scarce is for the orders mode (Adjusted -1 events need stock to take from)");
        if (options.Mode == BenchmarkMode.Events && options.TimelinePath is not null)
            throw new OptionsException("--timeline is for the orders mode");
        if (options.Mode == BenchmarkMode.Events && options.RunId.Length > MaxEventRunIdLength)
            throw new OptionsException($"--run-id: at most {MaxEventRunIdLength} characters in events mode");
        if (options.Mode == BenchmarkMode.Events && options.ErpConnection is not null)
            throw new OptionsException("--erp is for the orders mode");
        if (options.Scarce && !onHandGiven)
            options.OnHand = 5;
        options.ServerPids = pids;
        return options;
    }

    private static string ParseConnection(string name, string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value).Host is { Length: > 0 }
                ? value
                : throw new OptionsException($"{name}: the connection string names no Host");
        }
        catch (ArgumentException e)
        {
            throw new OptionsException($"{name}: not a PostgreSQL connection string ({e.Message})");
        }
    }

    private static int ParseInt(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new OptionsException($"{name}: '{value}' is not an integer >= {min}");

    private static long ParseLong(string name, string value, long min) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new OptionsException($"{name}: '{value}' is not an integer >= {min}");

    private static TimeSpan ParseSeconds(string name, string value, bool allowZero) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            && double.IsFinite(s) && (s > 0 || (allowZero && s == 0))
            ? TimeSpan.FromSeconds(s)
            : throw new OptionsException($"{name}: '{value}' is not a number of seconds {(allowZero ? ">= 0" : "> 0")}");
}

internal enum BenchmarkMode
{
    /// <summary>Allocation: POST /v1/orders, then the oversell check.</summary>
    Orders,

    /// <summary>Warehouse-event ingest: POST /v1/events, apply lag and the exactly-once check.</summary>
    Events,

    /// <summary>The network replenishment pass: a policy on every SKU-location, then timed passes.</summary>
    Replenishment,
}

internal sealed class OptionsException(string message) : Exception(message);
