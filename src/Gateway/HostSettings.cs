namespace Distribution.Gateway;

/// <summary>Where a host finds its appsettings.json.</summary>
public static class HostSettings
{
    /// <summary>
    /// The assembly's folder as content root, wherever the process was started from: the build copies
    /// the host's appsettings.json there, and a working directory holding another program's
    /// appsettings.json (a test's output folder, the other host's folder) must not configure this one.
    /// <c>--contentRoot</c> still chooses another.
    /// </summary>
    public static WebApplicationOptions For(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            ? new WebApplicationOptions { Args = args }
            : new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory };
}
