using System.Net.Sockets;
using System.Net;

namespace AutoencoderNotebooks.Tests.Data;

/// <summary>What the test server answers for one path.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">Bytes actually sent.</param>
/// <param name="DeclaredLength">Content-Length to announce (more than the body simulates a cut connection).</param>
/// <param name="StallFor">After the body: how long to send nothing more before cutting the connection.</param>
internal sealed record Reply(int Status, byte[] Body, long? DeclaredLength = null, TimeSpan? StallFor = null);

/// <summary>An HTTP server on 127.0.0.1 for download tests; serves a fixed reply per path, then stops.</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Dictionary<string, Reply> replies;
    private readonly Task loop;

    public LocalHttpServer(Dictionary<string, Reply> replies)
    {
        this.replies = replies;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(BaseAddress.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public int Requests { get; private set; }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Requests++;
            var reply = replies.GetValueOrDefault(context.Request.Url!.AbsolutePath.TrimStart('/')) ?? new Reply(404, []);
            var response = context.Response;
            response.StatusCode = reply.Status;
            response.ContentLength64 = reply.DeclaredLength ?? reply.Body.Length;
            try
            {
                await response.OutputStream.WriteAsync(reply.Body);
                if (reply.DeclaredLength > reply.Body.Length)
                {
                    await response.OutputStream.FlushAsync();
                    if (reply.StallFor is { } stall)
                    {
                        _ = Task.Delay(stall).ContinueWith(_ => response.Abort()); // a server that goes quiet mid-body
                        continue;
                    }
                    response.Abort(); // cut the connection mid-body
                    continue;
                }
                response.Close();
            }
            catch (HttpListenerException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
