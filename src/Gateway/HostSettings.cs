namespace Distribution.Gateway;

/// <summary>Where a host finds its appsettings.json.</summary>
public static class HostSettings
{
    /// <summary>
    /// The current directory as content root when it holds appsettings.json (dotnet run, tests);
    /// otherwise the directory of the assembly, so `dotnet path/to/Distribution.Silo.dll` started
    /// from anywhere (scripts, benchmarks) still reads its own settings.
    /// </summary>
    public static WebApplicationOptions For(string[] args) =>
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
        || args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            ? new WebApplicationOptions { Args = args }
            : new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory };
}
