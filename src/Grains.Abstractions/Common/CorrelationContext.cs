namespace Distribution.Common;

/// <summary>
/// The correlation id travels in Orleans' RequestContext so every grain a request touches can stamp
/// its logs and timeline with it without passing it through every method.
/// </summary>
public static class CorrelationContext
{
    public const string Key = "correlationId";
    public const string HeaderName = "X-Correlation-Id";

    public static string? Current
    {
        get => global::Orleans.Runtime.RequestContext.Get(Key) as string;
        set
        {
            if (value is null) global::Orleans.Runtime.RequestContext.Remove(Key);
            else global::Orleans.Runtime.RequestContext.Set(Key, value);
        }
    }
}
