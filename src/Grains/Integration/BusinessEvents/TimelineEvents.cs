using System.Globalization;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Business events read off an entity's stored timeline: each entry whose status differs from the
/// entry before it is a transition, identified by its index. Publishing is therefore repeatable:
/// the same stored timeline always yields the same events with the same ids, so an owner that
/// cannot tell whether its last publication got out (a crash, a retry) simply publishes again.
/// </summary>
internal static class TimelineEvents
{
    public static List<BusinessEvent> From<TEntry, TStatus>(
        IReadOnlyList<TEntry> timeline,
        int from,
        Func<TEntry, TStatus> status,
        Func<TStatus, IEnumerable<string>> typesOf,
        Func<TEntry, int, string, BusinessEvent> create)
        where TStatus : struct, Enum
    {
        var events = new List<BusinessEvent>();
        for (var i = Math.Max(0, from); i < timeline.Count; i++)
        {
            var now = status(timeline[i]);
            if (i > 0 && EqualityComparer<TStatus>.Default.Equals(now, status(timeline[i - 1])))
            {
                continue;
            }

            foreach (var type in typesOf(now))
            {
                events.Add(create(timeline[i], i, type));
            }
        }

        return events;
    }

    public static string Transition(int index) => index.ToString(CultureInfo.InvariantCulture);
}
