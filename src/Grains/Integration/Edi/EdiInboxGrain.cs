namespace Distribution.Integration.Edi;

/// <summary>Reads an interchange's envelope and routes it to its <see cref="EdiInterchangeGrain"/>; one whose ISA cannot be read is refused here.</summary>
[StatelessWorker]
public sealed class EdiInboxGrain(IGrainFactory grains) : Grain, IEdiInboxGrain
{
    public Task<EdiReceipt> Receive(string interchange)
    {
        var read = X12Parser.Parse(interchange);
        if (read.Interchange is { } parsed)
        {
            return grains.GetGrain<IEdiInterchangeGrain>(EdiInterchangeGrain.KeyOf(parsed)).Receive(interchange);
        }

        // The ISA was read but the envelope behind it is broken: its interchange grain answers a
        // known sender with a TA1 rejection.
        return read.Isa is { } isa
            ? grains.GetGrain<IEdiInterchangeGrain>(EdiInterchangeGrain.KeyOf(isa)).Receive(interchange)
            : Task.FromResult(EdiInterchangeGrain.Refused(read.Error!));
    }
}
