// Comparing two run directories: what changed between BASE and CAND, and is it real.
//
// The unit of evidence is the replication (`lunsim run --replications N`): per-request latencies
// inside one run are autocorrelated (queues) and cannot feed a significance test, but the N
// per-replication means of a metric are independent. For every metric of summary.csv present on
// both sides (aligned by name; a unit mismatch is an input error):
//   - n (replications) per side, and the pooled mean, p50, p90, p99 per side from summary.csv;
//   - the relative change of the mean with a 95 % percentile-bootstrap interval over the
//     replication means (fixed seed: the report is deterministic);
//   - a two-sided Mann–Whitney U p-value over the replication means (exact for small samples
//     without ties, normal approximation with tie correction otherwise), then Holm's correction
//     across all tested metrics;
//   - a verdict: `slower` / `faster` only when significant after correction AND the change
//     exceeds the threshold in the worse / better direction (direction from the `better`
//     column; `none` metrics are never slower or faster); `too few samples` when either side has
//     fewer replications than the exact test needs to reach significance after Holm
//     (min_samples_per_side); `unchanged` otherwise.
// Metrics on one side only are listed as added / removed. Differences of scenario hash or
// lunsim version are warnings. Malformed input (missing directory or file, truncated or
// malformed CSV, missing columns, a different csv_schema) is an InputError naming the file and
// the column.
#pragma once

#include "reports/stats.hpp"

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::reports {

class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct PooledMetric {
  std::string unit;
  std::string better;  ///< lower, higher, none
  double n = 0, mean = 0, p50 = 0, p90 = 0, p99 = 0;
};

struct RunData {
  std::filesystem::path dir;
  std::map<std::string, std::string> meta;          ///< meta.csv
  std::vector<std::string> order;                   ///< metrics in summary.csv order
  std::map<std::string, PooledMetric> pooled;       ///< summary.csv
  std::map<std::string, std::vector<double>> replication_means;  ///< replications.csv, by replication
};

/// Reads meta.csv, summary.csv and replications.csv of a run directory (columns by header name).
RunData read_run(const std::filesystem::path& dir);

enum class Verdict { Slower, Faster, Unchanged, TooFewSamples, Added, Removed };
const char* to_string(Verdict v);

struct MetricComparison {
  std::string metric, unit, better;
  std::size_t n_base = 0, n_cand = 0;
  PooledMetric base, cand;
  ChangeCI change;
  MannWhitney test;
  double p_holm = 1;
  bool tested = false;
  Verdict verdict = Verdict::Unchanged;
};

struct Comparison {
  std::filesystem::path base_dir, cand_dir;
  double threshold = 0.05;
  std::vector<std::string> warnings;
  std::vector<MetricComparison> rows;
  std::size_t min_samples = 0;  ///< per side, for significance after Holm over the tested metrics
  bool any_slower() const;
};

Comparison compare(const RunData& base, const RunData& cand, double threshold = 0.05);

enum class Format { Table, Csv, Markdown, Json };
/// `colour`: ANSI colours for verdicts (only for a terminal).
void write_report(std::ostream& os, const Comparison& c, Format format, bool colour = false);

} // namespace sim::reports
