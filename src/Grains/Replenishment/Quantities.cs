namespace Distribution.Replenishment;

/// <summary>Turning computed (fractional) quantities into whole units.</summary>
internal static class Quantities
{
    // Floating-point noise such as d·LT = 10.000000000000002 must not order an 11th unit.
    private const double Noise = 1e-9;

    /// <summary>The smallest whole number of units not below <paramref name="value"/> (less 1e-9 of noise).</summary>
    /// <exception cref="OverflowException">The result does not fit an <see cref="int"/>.</exception>
    public static int RoundUp(double value) => checked((int)Math.Ceiling(value - Noise));

    public static void CheckNonNegative(double value, string paramName)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Must be a finite number, zero or more.");
        }
    }
}
