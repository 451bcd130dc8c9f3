using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Tests.EndToEnd;

public sealed record CollectedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind);

/// <summary>
/// A minimal OTLP/HTTP trace receiver: the services export to it exactly as they would to a collector, and
/// the test reads which service emitted which span of which trace.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpCollector(WebApplication app, int port)
    {
        _app = app;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public ConcurrentQueue<CollectedSpan> Spans { get; } = new();

    public static async Task<OtlpCollector> StartAsync()
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app, port);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            foreach (var span in OtlpTraceDecoder.Decode(buffer.ToArray()))
            {
                collector.Spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return collector;
    }

    public IEnumerable<CollectedSpan> InTrace(string traceId) => Spans.Where(s => s.TraceId == traceId);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Reads just enough of ExportTraceServiceRequest (opentelemetry/proto/trace/v1) to name spans and their services.</summary>
public static class OtlpTraceDecoder
{
    public static List<CollectedSpan> Decode(byte[] payload)
    {
        var spans = new List<CollectedSpan>();
        foreach (var (field, resourceSpans) in Fields(payload))
        {
            if (field != 1)
            {
                continue;
            }

            var service = "unknown";
            var scopeSpans = new List<byte[]>();
            foreach (var (f, value) in Fields(resourceSpans))
            {
                if (f == 1)
                {
                    service = ServiceName(value) ?? service;
                }
                else if (f == 2)
                {
                    scopeSpans.Add(value);
                }
            }

            foreach (var scope in scopeSpans)
            {
                foreach (var (f, span) in Fields(scope))
                {
                    if (f == 2)
                    {
                        spans.Add(Span(service, span));
                    }
                }
            }
        }

        return spans;
    }

    private static string? ServiceName(byte[] resource)
    {
        foreach (var (f, keyValue) in Fields(resource))
        {
            if (f != 1)
            {
                continue;
            }

            string? key = null;
            string? value = null;
            foreach (var (kf, kv) in Fields(keyValue))
            {
                if (kf == 1)
                {
                    key = Encoding.UTF8.GetString(kv);
                }
                else if (kf == 2)
                {
                    value = Fields(kv).Where(a => a.Field == 1).Select(a => Encoding.UTF8.GetString(a.Value)).FirstOrDefault();
                }
            }

            if (key == "service.name")
            {
                return value;
            }
        }

        return null;
    }

    private static CollectedSpan Span(string service, byte[] span)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        var kind = 0;
        var reader = new Reader(span);
        while (reader.Next(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case (5, 2): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (6, 0): kind = (int)reader.Varint(); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new CollectedSpan(service, traceId, spanId, parent, name, kind);
    }

    private static List<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var reader = new Reader(message);
        var result = new List<(int Field, byte[] Value)>();
        while (reader.Next(out var field, out var wireType))
        {
            if (wireType == 2)
            {
                result.Add((field, reader.Bytes()));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return result;
    }

    private sealed class Reader(byte[] data)
    {
        private int _position;

        public bool Next(out int field, out int wireType)
        {
            field = wireType = 0;
            if (_position >= data.Length)
            {
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            var bytes = data.AsSpan(_position, length).ToArray();
            _position += length;
            return bytes;
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2:
                    var length = (int)Varint(); // read first: `_position += Varint()` would add to the old position
                    _position += length;
                    break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {wireType}");
            }
        }
    }
}
