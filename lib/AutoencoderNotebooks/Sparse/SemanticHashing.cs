using static TorchSharp.torch;

namespace AutoencoderNotebooks.Sparse;

/// <summary>A group of images that share one hash (chapter 5).</summary>
public sealed record HashBucket(long Hash, string Bits, IReadOnlyList<long> Indices);

/// <summary>How well hashes group images of one class (chapter 5).</summary>
/// <param name="SameHashPairs">Pairs of images with equal hashes.</param>
/// <param name="SameHashSameClass">Share of those pairs whose two images have the same class.</param>
/// <param name="RandomSameClass">Share of all pairs whose two images have the same class: what chance gives.</param>
public sealed record HashAgreement(long SameHashPairs, double SameHashSameClass, double RandomSameClass)
{
    /// <summary>How many times more often same-hash pairs share a class than random pairs.</summary>
    public double Lift => SameHashSameClass / RandomSameClass;
}

/// <summary>Binary hashes from sigmoid codings, and what they say about the images (chapter 5).</summary>
public static class SemanticHashing
{
    /// <summary>Share of coding values within <paramref name="tolerance"/> of 0 or 1.</summary>
    public static double NearBinaryShare(Tensor codings, double tolerance = 0.1)
    {
        using var scope = NewDisposeScope();
        return (codings.le(tolerance) | codings.ge(1 - tolerance)).to_type(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>Each row of codings rounded to bits and packed into an integer (bit j = coding unit j).</summary>
    public static long[] Hashes(Tensor codings)
    {
        using var scope = NewDisposeScope();
        var bits = codings.shape[1];
        var weights = pow(2, arange(bits, dtype: ScalarType.Int64));
        return (codings.round().to_type(ScalarType.Int64) * weights).sum(1).data<long>().ToArray();
    }

    /// <summary>A hash as a bit string, unit 0 first.</summary>
    public static string Bits(long hash, int bits) => new(Enumerable.Range(0, bits).Select(j => (hash >> j & 1) == 1 ? '1' : '0').ToArray());

    /// <summary>The <paramref name="count"/> largest groups of equal hashes, largest first.</summary>
    public static IReadOnlyList<HashBucket> LargestBuckets(long[] hashes, int bits, int count) =>
        hashes.Select((h, i) => (h, (long)i)).GroupBy(p => p.h)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(count)
            .Select(g => new HashBucket(g.Key, Bits(g.Key, bits), g.Select(p => p.Item2).ToList())).ToList();

    /// <summary>How often two images with the same hash share a class, against two images taken at random.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or no two images share a hash.</exception>
    public static HashAgreement ClassAgreement(long[] hashes, long[] labels)
    {
        if (hashes.Length != labels.Length) throw new ArgumentException($"{hashes.Length} hashes but {labels.Length} labels.", nameof(labels));
        static long Pairs(long n) => n * (n - 1) / 2;
        long samePairs = 0, sameClassPairs = 0;
        foreach (var bucket in hashes.Zip(labels).GroupBy(p => p.First))
        {
            samePairs += Pairs(bucket.Count());
            sameClassPairs += bucket.GroupBy(p => p.Second).Sum(c => Pairs(c.Count()));
        }
        if (samePairs == 0) throw new ArgumentException("No two images share a hash: there is nothing to compare.", nameof(hashes));
        var randomSameClass = (double)labels.GroupBy(l => l).Sum(c => Pairs(c.Count())) / Pairs(labels.Length);
        return new HashAgreement(samePairs, (double)sameClassPairs / samePairs, randomSameClass);
    }
}
