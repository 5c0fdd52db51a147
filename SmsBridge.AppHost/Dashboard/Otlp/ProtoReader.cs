using System.Buffers.Binary;
using Google.Protobuf;

namespace SmsBridge.AppHost.Dashboard.Otlp;

/// <summary>One field of a protobuf message as read off the wire: its number, wire type and raw value.</summary>
public readonly record struct ProtoField(int Number, WireFormat.WireType WireType, ulong Scalar, ByteString Bytes)
{
    public string AsString() => Bytes.ToStringUtf8();

    public double AsDouble() => BitConverter.UInt64BitsToDouble(Scalar);

    public long AsInt64() => unchecked((long)Scalar);
}

/// <summary>
/// Walks the protobuf wire format by field number (no generated classes: the OTLP .proto files are not
/// available here). Unknown fields and wire types are skipped, as the protobuf rules require.
/// </summary>
public static class ProtoReader
{
    public static IEnumerable<ProtoField> Fields(ByteString message)
    {
        var input = message.CreateCodedInput();
        var fields = new List<ProtoField>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            switch (type)
            {
                case WireFormat.WireType.Varint:
                    fields.Add(new ProtoField(number, type, input.ReadUInt64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed64:
                    fields.Add(new ProtoField(number, type, input.ReadFixed64(), ByteString.Empty));
                    break;
                case WireFormat.WireType.Fixed32:
                    fields.Add(new ProtoField(number, type, input.ReadFixed32(), ByteString.Empty));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    fields.Add(new ProtoField(number, type, 0, input.ReadBytes()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return fields;
    }

    /// <summary>A repeated fixed64/double field, packed (one length-delimited run) or not.</summary>
    public static IEnumerable<ulong> RepeatedFixed64(IEnumerable<ProtoField> fields, int number)
    {
        foreach (var field in fields.Where(f => f.Number == number))
        {
            if (field.WireType == WireFormat.WireType.Fixed64)
            {
                yield return field.Scalar;
                continue;
            }

            if (field.WireType != WireFormat.WireType.LengthDelimited) continue;
            var bytes = field.Bytes.ToByteArray();
            for (var offset = 0; offset + 8 <= bytes.Length; offset += 8)
            {
                yield return BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset, 8));
            }
        }
    }
}
