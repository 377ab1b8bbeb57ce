using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>Command-line options of the allocation benchmark.</summary>
internal sealed class Options
{
    public const string Usage = """
        Closed-loop allocation benchmark against the public HTTP API.

        Usage: dotnet run -c Release --project src/Benchmark -- [options]

          --url URL            base URL of the system under test (default http://127.0.0.1:8080)
          --warehouses N       warehouses on the map (default 20)
          --skus N             SKUs, SKU-000001... (default 50000)
          --on-hand N          on-hand per SKU-location (default 1000000; 5 with --scarce)
          --scarce             scarce-stock run: small on-hand, expects backorders and no oversell
                               (start from a fresh system: reservations of earlier runs would count)
          --concurrency LIST   orders in flight per level, comma-separated (default 8,16,64,256)
          --duration S         measured seconds per level (default 20)
          --warmup S           warm-up seconds before each level (default 5)
          --seed N             seed for the map, the SKU popularity and the orders (default 42)
          --skip-seed          the network is already loaded: do not create warehouses/items/stock
          --run-id ID          prefix of order ids, so reruns never collide (default a UTC timestamp)
          --csv FILE           append one result row per level to FILE (header written if new)
          --server-pid PID     also report CPU% of PID and its descendants (repeatable)
          --ready-timeout S    seconds to wait for GET /health/ready (default 120)
          --no-availability-probe
                               no availability probe. By default one extra closed-loop client (not
                               counted in --concurrency) runs during each measured window, alternating
                               GET /v1/availability/{sku} and POST /v1/availability/query with 100
                               distinct SKUs, both drawn by the orders' Zipf popularity; reported as
                               avail p50/p99 and query100 p50/p99 (successful reads only; other
                               answers are probe errors)
          -h, --help           this text

        Exit code: 0 no oversell, 1 oversell (or acknowledged allocations missing), 2 setup or usage error.
        """;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1:8080/");
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
    public IReadOnlyList<int> ServerPids { get; private set; } = [];
    public TimeSpan ReadyTimeout { get; private set; } = TimeSpan.FromSeconds(120);
    public bool AvailabilityProbe { get; private set; } = true;

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
                case "--url":
                    var url = Value();
                    if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri))
                        throw new OptionsException($"--url: '{url}' is not an absolute URL");
                    options.BaseUrl = uri;
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
                case "--server-pid":
                    pids.Add(ParseInt(name, Value(), min: 1));
                    break;
                case "--ready-timeout":
                    options.ReadyTimeout = ParseSeconds(name, Value(), allowZero: true);
                    break;
                case "--no-availability-probe":
                    options.AvailabilityProbe = false;
                    break;
                default:
                    throw new OptionsException($"unknown option '{args[i]}'");
            }
        }

        if (options.Scarce && !onHandGiven)
            options.OnHand = 5;
        options.ServerPids = pids;
        return options;
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

internal sealed class OptionsException(string message) : Exception(message);
