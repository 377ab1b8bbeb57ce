namespace Distribution.Common;

/// <summary>One thing wrong with a request, naming the field (JSON path) it concerns.</summary>
[GenerateSerializer, Immutable]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);

/// <summary>How a command ended, so the gateway can choose the HTTP status without knowing any rule.</summary>
public enum CommandOutcome
{
    /// <summary>Applied now.</summary>
    Created = 0,
    /// <summary>The same command was seen before; the stored answer is returned and nothing changed.</summary>
    Replayed = 1,
    /// <summary>Updated an existing resource.</summary>
    Updated = 2,
    /// <summary>Same identity, different body: nothing changed.</summary>
    Conflict = 3,
    /// <summary>The body broke a rule (see errors); nothing changed.</summary>
    Invalid = 4,
    /// <summary>The addressed resource does not exist.</summary>
    NotFound = 5,
}

/// <summary>The answer to a command that returns no resource of its own.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] IReadOnlyList<FieldError> Errors)
{
    public static CommandResult Invalid(IReadOnlyList<FieldError> errors) => new(CommandOutcome.Invalid, errors);

    public static CommandResult NotFound(string field, string message) => new(CommandOutcome.NotFound, [new FieldError(field, message)]);
}
