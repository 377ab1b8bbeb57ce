using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Distribution.Tests;

/// <summary>
/// A webhook subscriber on 127.0.0.1 (HttpListener on a free port) that keeps every delivery
/// attempt's event id, type, traceparent and the status it answered: 200 while <see cref="Up"/>,
/// else 503.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    private WebhookReceiver(int port)
    {
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
    }

    public sealed record Attempt(string EventId, string EventType, string TraceParent, int Status);

    public string Url { get; }

    public volatile bool Up = true;

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    public IReadOnlyList<Attempt> Delivered => [.. Attempts.Where(a => a.Status == 200)];

    public static WebhookReceiver Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var receiver = new WebhookReceiver(port);
        receiver._listener.Start();
        _ = receiver.ServeAsync();
        return receiver;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var status = Up ? 200 : 503;
            var headers = context.Request.Headers;
            Attempts.Enqueue(new(headers["X-Distribution-Event-Id"] ?? "", headers["X-Distribution-Event-Type"] ?? "", headers["traceparent"] ?? "", status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
