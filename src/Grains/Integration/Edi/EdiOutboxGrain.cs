using Distribution.Common;

namespace Distribution.Integration.Edi;

/// <summary>One partner's outbound control numbers and generated documents (the most recent <see cref="Kept"/>).</summary>
public sealed class EdiOutboxGrain(
    [PersistentState("ediOutbox", GrainStorage.Name)] IPersistentState<EdiOutboxState> state) : Grain, IEdiOutboxGrain
{
    public const int Kept = 1000;

    public async Task<int> NextControlNumber()
    {
        var next = state.State.LastControlNumber >= X12Writer.MaxControlNumber ? 1 : state.State.LastControlNumber + 1;
        state.State.LastControlNumber = next;
        // Stored before it is used, so a number is never handed out twice, even across a crash.
        await state.WriteStateAsync();
        return next;
    }

    public async Task<EdiOutboundDocument> Add(EdiOutboundDocument document)
    {
        var documents = state.State.Documents;
        if (documents.FirstOrDefault(d => d.SetId == document.SetId && d.Reference == document.Reference) is { } kept)
        {
            return kept;
        }

        documents.Add(document);
        if (documents.Count > Kept)
        {
            documents.RemoveRange(0, documents.Count - Kept);
        }

        await state.WriteStateAsync();
        return document;
    }

    public Task<bool> Holds(string setId, string reference) =>
        Task.FromResult(state.State.Documents.Exists(d => d.SetId == setId && d.Reference == reference));

    public Task<bool> HoldsAny(string setId, string referencePrefix) =>
        Task.FromResult(state.State.Documents.Exists(d => d.SetId == setId && d.Reference.StartsWith(referencePrefix, StringComparison.Ordinal)));

    public Task<IReadOnlyList<EdiOutboundDocument>> List() => Task.FromResult<IReadOnlyList<EdiOutboundDocument>>([.. state.State.Documents]);
}
