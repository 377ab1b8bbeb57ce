namespace Distribution.Common;

/// <summary>
/// References to string-keyed grains without the reflection <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c>
/// pays on every call (it reads the interface's attributes to find its grain interface type and grain
/// type: about 3% of an embedded silo's CPU under allocation load, where each order asks for several
/// SKU-locations). Both types are fixed for an interface, so they are resolved once per interface.
/// </summary>
public static class KeyedGrains
{
    public static T Keyed<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var types = Types<T>.Resolved ??= Types<T>.Resolve(grains);
        return (T)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
    }

    private sealed record ResolvedTypes(GrainType GrainType, GrainInterfaceType InterfaceType);

    private static class Types<T>
        where T : IGrainWithStringKey
    {
        // A reference: assigned atomically, and resolving twice on a race is harmless.
        public static ResolvedTypes? Resolved;

        public static ResolvedTypes Resolve(IGrainFactory grains)
        {
            var probe = (GrainReference)(object)grains.GetGrain<T>("-");
            return new ResolvedTypes(probe.GrainId.Type, probe.InterfaceType);
        }
    }
}
