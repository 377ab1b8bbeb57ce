using Distribution.Common;

namespace Distribution.Integration.Edi;

/// <summary>Reads an interchange's envelope and routes it to its <see cref="EdiInterchangeGrain"/>; an unreadable one is refused here.</summary>
[StatelessWorker]
public sealed class EdiInboxGrain(IGrainFactory grains) : Grain, IEdiInboxGrain
{
    public Task<EdiReceipt> Receive(string interchange)
    {
        var read = X12Parser.Parse(interchange);
        if (read.Interchange is not { } parsed)
        {
            return Task.FromResult(new EdiReceipt(EdiReceiptOutcome.Refused, null,
                [new FieldError(read.Error!.Field, $"{read.Error.Message} (segment {read.Error.Position})")]));
        }

        return grains.GetGrain<IEdiInterchangeGrain>(EdiInterchangeGrain.KeyOf(parsed)).Receive(interchange);
    }
}
