namespace Distribution.Common;

/// <summary>A position on the map in decimal degrees (WGS 84).</summary>
[GenerateSerializer, Immutable]
public sealed record GeoPoint([property: Id(0)] double Latitude, [property: Id(1)] double Longitude);
