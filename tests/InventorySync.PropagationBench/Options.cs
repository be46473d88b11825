using System.Globalization;

namespace InventorySync.PropagationBench;

public sealed record Options(
    int Rate, int Skus, int Duration, int Warmup, bool Everywhere, string? PostgresConnection, string? Out)
{
    public const long StartingStock = 500;

    public const string Usage =
        "usage: [--rate 1000] [--skus 1000] [--duration 30] [--warmup 5] [--scenario sized|everywhere] " +
        "[--postgres <connection string>] [--out report.md]";

    public static Options Parse(string[] args)
    {
        var o = new Options(1000, 1000, 30, 5, false, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--rate" => o with { Rate = Number() },
                "--skus" => o with { Skus = Number() },
                "--duration" => o with { Duration = Number() },
                "--warmup" => o with { Warmup = Number() },
                "--scenario" => Next() switch
                {
                    "sized" => o with { Everywhere = false },
                    "everywhere" => o with { Everywhere = true },
                    var s => throw new ArgumentException($"Unknown scenario '{s}'.\n{Usage}"),
                },
                "--postgres" => o with { PostgresConnection = Next() },
                "--out" => o with { Out = Next() },
                var a => throw new ArgumentException($"Unknown argument '{a}'.\n{Usage}"),
            };
        }
        return o;
    }
}
