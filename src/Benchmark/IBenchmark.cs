namespace Distribution.Benchmark;

/// <summary>One benchmark mode: what it prints before setup, and its levels and end-of-run check after.</summary>
internal interface IBenchmark
{
    void PrintPlan();

    /// <summary>Runs every level and the check; returns the process exit code.</summary>
    Task<int> RunAsync(CancellationToken stopLoad);
}
