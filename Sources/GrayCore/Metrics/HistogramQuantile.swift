/// Prometheus's `histogram_quantile` over classic (cumulative `le`) buckets, reproduced exactly.
///
/// Same algorithm as `promql/quantile.go` `bucketQuantile`: buckets are sorted by bound and
/// buckets with equal bounds merged; counts that decrease with the bound (possible when buckets are
/// scraped at slightly different moments) are raised to the running maximum; the quantile is found
/// by rank and linearly interpolated inside its bucket, the lowest bucket starting at 0 (or at its
/// bound when that is not positive); a rank in the `+Inf` bucket returns the highest finite bound.
/// Without a `+Inf` bucket, with fewer than two buckets or with no observations the answer is NaN.
public enum HistogramQuantile {
    /// The `q`-quantile (0...1) of the observations the buckets describe.
    public static func quantile(_ q: Double, _ buckets: [HistogramBucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let prepared = prepare(buckets)
        guard prepared.count >= 2, prepared[prepared.count - 1].upperBound == .infinity else { return .nan }
        let observations = prepared[prepared.count - 1].count
        guard observations > 0 else { return .nan }
        var rank = q * observations
        let index = prepared.firstIndex { $0.count >= rank } ?? prepared.count - 1
        if index == prepared.count - 1 {
            return prepared[prepared.count - 2].upperBound
        }
        if index == 0, prepared[0].upperBound <= 0 {
            return prepared[0].upperBound
        }
        var bucketStart = 0.0
        let bucketEnd = prepared[index].upperBound
        var count = prepared[index].count
        if index > 0 {
            bucketStart = prepared[index - 1].upperBound
            count -= prepared[index - 1].count
            rank -= prepared[index - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// How many observations exceed `limit`, interpolating linearly inside the bucket that holds it
    /// (the same assumption `quantile` makes), and the total count. Nil without a `+Inf` bucket.
    public static func countAbove(_ limit: Double, _ buckets: [HistogramBucket]) -> (above: Double, total: Double)? {
        let prepared = prepare(buckets)
        guard let last = prepared.last, last.upperBound == .infinity else { return nil }
        var previousBound = 0.0
        var previousCount = 0.0
        for bucket in prepared {
            if limit <= bucket.upperBound {
                let atOrBelow: Double
                if bucket.upperBound == .infinity {
                    atOrBelow = previousCount
                } else if limit <= previousBound {
                    atOrBelow = previousCount
                } else {
                    let fraction = (limit - previousBound) / (bucket.upperBound - previousBound)
                    atOrBelow = previousCount + (bucket.count - previousCount) * fraction
                }
                return (max(0, last.count - atOrBelow), last.count)
            }
            previousBound = bucket.upperBound
            previousCount = bucket.count
        }
        return (0, last.count)
    }

    /// How many observations are surely above `limit` — above the smallest bucket bound at or above
    /// it, so interpolation never counts a request that may have been faster —, and the total count.
    /// With no finite bound at or above `limit`, none is sure: 0. For the sequential latency test,
    /// whose guarantee needs counts that are never too high. Nil without a `+Inf` bucket.
    public static func countAbove(bound limit: Double, _ buckets: [HistogramBucket]) -> (above: Double, total: Double)? {
        let prepared = prepare(buckets)
        guard let last = prepared.last, last.upperBound == .infinity else { return nil }
        guard let bound = prepared.first(where: { $0.upperBound >= limit && $0.upperBound.isFinite }) else { return (0, last.count) }
        return (max(0, last.count - bound.count), last.count)
    }

    /// Sorts by bound, merges equal bounds and forces cumulative counts to be monotonic.
    static func prepare(_ buckets: [HistogramBucket]) -> [HistogramBucket] {
        let sorted = buckets.filter { !$0.upperBound.isNaN }.sorted { $0.upperBound < $1.upperBound }
        var merged: [HistogramBucket] = []
        merged.reserveCapacity(sorted.count)
        for bucket in sorted {
            if let last = merged.last, last.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        var maximum = -Double.infinity
        for index in merged.indices {
            if merged[index].count > maximum {
                maximum = merged[index].count
            } else {
                merged[index].count = maximum
            }
        }
        return merged
    }
}
