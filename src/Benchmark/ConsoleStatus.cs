namespace Distribution.Benchmark;

/// <summary>
/// A status line that rewrites itself on a terminal and prints one line per update when the
/// output goes to a file or pipe.
/// </summary>
internal static class ConsoleStatus
{
    private static readonly Lock Gate = new();
    private static int width;

    public static void Update(string text)
    {
        lock (Gate)
        {
            if (Console.IsOutputRedirected)
            {
                Console.WriteLine(text);
                return;
            }

            Console.Write("\r" + text.PadRight(width));
            width = text.Length;
        }
    }

    /// <summary>Ends the status line (if any) and prints <paramref name="text"/> as a normal line.</summary>
    public static void Line(string text = "")
    {
        lock (Gate)
        {
            if (width > 0)
            {
                Console.Write("\r" + new string(' ', width) + "\r");
                width = 0;
            }

            Console.WriteLine(text);
        }
    }
}
