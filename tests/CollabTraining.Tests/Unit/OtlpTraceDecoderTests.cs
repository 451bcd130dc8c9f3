using CollabTraining.Tests.EndToEnd;

namespace CollabTraining.Tests.Unit;

/// <summary>The test collector must read OTLP as the exporter writes it, or the trace assertions prove nothing.</summary>
public sealed class OtlpTraceDecoderTests
{
    [Fact]
    public void Reads_service_trace_span_parent_name_and_kind_past_fields_it_does_not_know()
    {
        var span = Message(
            Bytes(1, Enumerable.Range(1, 16).Select(i => (byte)i).ToArray()),
            Bytes(2, [0xA, 0xB, 0xC, 0xD, 0xE, 0xF, 0x1, 0x2]),
            Bytes(3, "vendor=x"u8.ToArray()),
            Bytes(4, [1, 1, 1, 1, 1, 1, 1, 1]),
            Bytes(5, "POST /api/hospitals/placement-offers"u8.ToArray()),
            [0x30, 0x02],
            [0x39, 1, 2, 3, 4, 5, 6, 7, 8],
            Bytes(9, Message(Bytes(1, "db.statement"u8.ToArray()), Bytes(2, Message(Bytes(1, "PRAGMA journal_mode=WAL;"u8.ToArray()))))));
        var resource = Message(Bytes(1, Message(Bytes(1, "service.name"u8.ToArray()), Bytes(2, Message(Bytes(1, "hospitals"u8.ToArray()))))));
        var request = Message(Bytes(1, Message(Bytes(1, resource), Bytes(2, Message(Bytes(1, []), Bytes(2, span))))));

        var decoded = Assert.Single(OtlpTraceDecoder.Decode(request));

        Assert.Equal(new CollectedSpan("hospitals", "0102030405060708090a0b0c0d0e0f10", "0a0b0c0d0e0f0102", "0101010101010101", "POST /api/hospitals/placement-offers", 2), decoded);
    }

    private static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    private static byte[] Bytes(int field, byte[] value) => [(byte)((field << 3) | 2), .. Varint(value.Length), .. value];

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
        return [.. bytes];
    }
}
