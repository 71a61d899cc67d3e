// Comparing two run (or sweep) directories: what changed between BASE and CAND, and is it real.
//
// The unit of evidence is the replication (`lunsim run --replications N`): per-request latencies
// inside one run are autocorrelated (queues) and cannot feed a significance test, but a metric's
// per-replication mean, p90 and p99 (replications.csv) are independent across replications.
// Each (metric, statistic) is a *series*: its per-replication values on both sides.
//
// Design (per comparison; `design` below): *paired* when both runs used the same seed and the
// same replication count, so replication i of both drew the same random numbers (common random
// numbers): Wilcoxon's signed-rank test on the differences, Student intervals on the pairs.
// Otherwise *unpaired*: Mann–Whitney's U test, Welch intervals (reports/stats.hpp). Rows that
// are cross-replication estimates with a standard error (summary.csv's `se`: the reliability
// probabilities, rates, MTTDL and NOMDL), and every reliability row of an importance-sampled run
// (weighted contributions, whose distributions are mostly zeros), are compared by their
// estimates and standard errors (Welch's t, or z when the standard errors are large-sample).
//
// The family (Holm's correction): every distinct series with a test. A series whose values are
// bit for bit another's on both sides (io.read.response and io.L.read.response with one load;
// p90 = p99 = mean for one value per replication) is an *alias*, reported with its
// representative's test and verdict and not counted again; a series constant on both sides is
// *constant* and not tested (its change is exact).
//
// Verdict per series, with t the threshold, the change c = cand / base - 1 and its intervals:
//   slower / faster   Holm-adjusted p <= alpha and c beyond t in the worse / better direction
//                     (from `better`; for `better: none`, `changed` in either direction);
//   equivalent        the change's 90 % interval lies inside (-t, +t): two one-sided tests at
//                     alpha = 0.05 (the interval is the one the test inverts);
//   too few samples   neither of the above, and fewer replications (pairs) than the exact rank
//                     test needs to reach alpha after Holm over the family (min_samples);
//   inconclusive      otherwise: no evidence either way;
//   constant          no variation on either side: slower / faster / changed / equivalent from
//                     the exact change, `constant` when the values are equal;
//   untested          a row with neither replication values nor a standard error;
//   added / removed   on one side only.
// Malformed, truncated or inconsistent input is an InputError naming the file and the row.
#pragma once

#include "reports/stats.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim::reports {

class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One row of summary.csv.
struct SummaryRow {
  std::string unit;
  std::string better;  ///< lower, higher, none
  std::uint64_t n = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0;
  double se = 0;  ///< NaN unless the row is a cross-replication estimate with a standard error
  bool per_replication = true;  ///< false for cross-replication rows (no replications.csv rows)
};

/// One metric's row of one replication in replications.csv.
struct ReplicationValue {
  std::uint64_t replication = 0;
  std::uint64_t n = 0;
  double mean = 0, p90 = 0, p99 = 0;  ///< NaN when the replication had no value
};

struct RunData {
  std::filesystem::path dir;
  std::map<std::string, std::string> meta;  ///< meta.csv (the last row of a repeated key)
  std::uint64_t replications = 0;           ///< meta.csv's count
  std::string seed;                         ///< meta.csv's seed
  bool weighted = false;                    ///< importance sampling (reliability.csv has `weight`)
  std::vector<std::string> order;           ///< metrics in summary.csv order
  std::map<std::string, SummaryRow> summary;
  std::map<std::string, std::vector<ReplicationValue>> replications_of;  ///< by replication index
};

/// Reads meta.csv, summary.csv and replications.csv of a run directory (columns by header name)
/// and checks that they agree: every row has the header's field count and the files end with a
/// line end; replications.csv holds exactly replications 0 .. N - 1 of meta.csv's N, each metric
/// at most once per replication; every per-replication metric of summary.csv is there with
/// replication `n`s that sum to summary.csv's `n`, and every metric there is in summary.csv with
/// the same unit. Throws InputError naming the file and row otherwise.
RunData read_run(const std::filesystem::path& dir);

enum class Design { Auto, Paired, Unpaired };
const char* to_string(Design d);

enum class Verdict { Slower, Faster, Changed, Equivalent, Inconclusive, TooFewSamples, Constant, Untested, Added, Removed };
const char* to_string(Verdict v);

/// How a series was tested.
enum class Method { None, SignedRank, MannWhitney, Welch, Z };
const char* to_string(Method m);

struct CompareOptions {
  double threshold = 0.05;     ///< relative change that matters (0.05 = 5 %)
  double alpha = 0.05;         ///< family-wise error rate (Holm) and each one-sided test of TOST
  Design design = Design::Auto;
};

struct SeriesComparison {
  std::string metric;
  std::string statistic;       ///< mean, p90, p99 (per-replication values) or estimate
  std::string unit, better;
  std::string point;           ///< sweeps: the grid point ("0", "1", ...); empty for runs
  std::size_t n_base = 0, n_cand = 0;  ///< replications (pairs: both the pair count)
  Change change;               ///< means of the per-replication statistic, or the estimates
  Method method = Method::None;
  RankTest test;               ///< valid when method != None
  double p_holm = 1;
  std::string alias_of;        ///< "metric statistic" of the representative, when an alias
  Verdict verdict = Verdict::Inconclusive;
  bool tested() const { return method != Method::None; }
};

struct Comparison {
  std::filesystem::path base_dir, cand_dir;
  CompareOptions options;
  bool paired = false;             ///< the design used
  std::string design_note;         ///< why (seeds, replication counts), said in every format
  bool sweep = false;
  std::string sweep_source;        ///< sweeps: "replications" (kept runs) or "summaries" (Welch)
  bool weighted = false;           ///< either side importance-sampled
  std::vector<std::string> axes;   ///< sweeps: the grid's paths
  std::vector<std::vector<std::string>> point_values;  ///< sweeps: each point's value per axis
  std::vector<std::string> warnings;
  std::vector<SeriesComparison> rows;
  std::size_t family = 0;          ///< tests in Holm's family
  std::size_t min_samples = 0;     ///< per side (pairs when paired) for significance after Holm
  std::size_t count(Verdict v) const;
  bool any_missing() const { return count(Verdict::Added) + count(Verdict::Removed) > 0; }
};

/// Compares two runs. Throws InputError for a csv_schema or unit mismatch, or when
/// options.design is Paired and the replication counts differ.
Comparison compare(const RunData& base, const RunData& cand, const CompareOptions& options = {});

/// A sweep directory (meta.csv with `points`, points.csv; point-NNN/ when --keep-runs).
struct SweepData {
  std::filesystem::path dir;
  std::map<std::string, std::string> meta;
  std::vector<std::string> axes;                       ///< grid paths, in points.csv order
  struct Point {
    std::vector<std::string> values;                   ///< per axis
    std::vector<std::string> order;                    ///< metrics in points.csv order
    std::map<std::string, SummaryRow> rows;            ///< n, mean; se from the column or the interval
    std::map<std::string, std::pair<double, double>> ci95;
  };
  std::vector<Point> points;
  bool kept_runs = false;                              ///< every point has its point-NNN directory
};

/// True when `dir` holds a sweep (meta.csv has a `points` row), false for a run.
bool is_sweep_directory(const std::filesystem::path& dir);

/// Reads a complete sweep directory (an interrupted one is an InputError).
SweepData read_sweep(const std::filesystem::path& dir);

/// Compares two sweeps over the same grid, point by point, with one Holm family over every
/// point's series. From the kept runs when both sweeps kept them (replication values: paired or
/// unpaired as for runs), else from points.csv's n, mean and standard error (Welch, means only).
/// Throws InputError when the grids differ.
Comparison compare_sweeps(const SweepData& base, const SweepData& cand, const CompareOptions& options = {});

enum class Format { Table, Csv, Markdown, Json };
/// `colour`: ANSI colours for verdicts (only for a terminal). Numbers in csv and json are the
/// shortest decimal forms that read back to the same doubles; changes are fractions (0.2 = 20 %).
void write_report(std::ostream& os, const Comparison& c, Format format, bool colour = false);

} // namespace sim::reports
