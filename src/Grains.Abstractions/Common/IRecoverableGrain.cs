namespace Distribution.Common;

/// <summary>
/// A grain whose stored state can name a time by which it must be woken (an interrupted
/// allocation, an unconfirmed hold). After a crash nothing else would activate it, so the silo's
/// recovery sweep calls <see cref="Wake"/> on every grain whose wake-up time has passed.
/// </summary>
public interface IRecoverableGrain : IGrainWithStringKey
{
    Task Wake();
}
