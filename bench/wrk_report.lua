-- Used by bench/speed.py: one machine-readable line with requests, duration, errors and latency percentiles (µs).
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.0f %.0f %.0f\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
