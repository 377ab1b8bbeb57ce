using System.Text.Json;
using System.Text.RegularExpressions;

namespace Distribution.Tests.Deployment;

/// <summary>The instructions of a Dockerfile this project ships, as far as the tests need them.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<(string Instruction, string Arguments)> instructions)
    {
        RelativePath = path;
        Instructions = instructions;
    }

    public string RelativePath { get; }

    public IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; }

    /// <summary>ENTRYPOINT in exec form (the JSON array).</summary>
    public IReadOnlyList<string> Entrypoint =>
        JsonSerializer.Deserialize<string[]>(Single("ENTRYPOINT")) ?? [];

    /// <summary>ENV of the final stage (the image that runs), as name → value.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        FinalStage().Where(i => i.Instruction == "ENV")
            .Select(i => i.Arguments.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "");

    public IReadOnlyList<int> ExposedPorts =>
        [.. FinalStage().Where(i => i.Instruction == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)];

    /// <summary>The project that <c>dotnet publish</c> builds into the image.</summary>
    public string PublishedProject =>
        Instructions.Where(i => i.Instruction == "RUN")
            .Select(i => PublishCommand().Match(i.Arguments))
            .Single(m => m.Success).Groups[1].Value;

    public static Dockerfile Load(string relativePath)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in Repository.Read(relativePath).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            pending += line;
            if (pending.EndsWith('\\'))
            {
                pending = pending[..^1] + " ";
                continue;
            }

            var split = pending.Trim().Split(' ', 2);
            instructions.Add((split[0].ToUpperInvariant(), split.Length > 1 ? split[1].Trim() : ""));
            pending = "";
        }

        return new Dockerfile(relativePath, instructions);
    }

    private string Single(string instruction) =>
        Instructions.Single(i => i.Instruction == instruction).Arguments;

    private IEnumerable<(string Instruction, string Arguments)> FinalStage() =>
        Instructions.Skip(Instructions.Select((i, n) => (i, n)).Last(x => x.i.Instruction == "FROM").n);

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishCommand();
}
