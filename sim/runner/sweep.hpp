// Parameter sweeps (`lunsim sweep`): a scenario run over the cartesian product of grid axes,
// each grid point with N replications; every (point, replication) pair is one task.
//
// Grid. Axes come from the scenario's `sweep.grid` section (file order) and then from `--grid
// path=v1,v2,...` options (command-line order). Points are numbered from 0 in row-major order:
// the first axis varies slowest, the last fastest (nested loops in the order the axes are
// listed). Point p loads the scenario as `lunsim run --set path=value ...` would with the
// point's values (after the sweep's own `--set`s; a grid path may not also be `--set`).
//
// Seeds. Common random numbers by default: replication i of every point runs with the point's
// scenario seed and replication index i, exactly as replication i of `lunsim run
// --replications N` does, so points differ only by their parameters. With independent seeds
// point p runs with seed independent_seed(seed, p) instead (replication indexes unchanged), so
// point p equals `lunsim run --seed <that seed> --replications N`.
//
// Statistics of a point (sweep.csv, points.csv). For each summary metric of a replication (the
// rows of its replications.csv) the point reports n (replications having the metric), the mean
// of the per-replication means and its 95 % Student-t interval, mean ± t(0.975, n - 1) s / √n:
// the interval `lunsim run --replications N` writes as ci95 in summary.csv, bit for bit: both
// stream the per-replication means through metrics::MeanCi in replication order, so memory does
// not grow with N. The cross-replication reliability rows (p_loss, p_group_loss,
// loss_events_per_1000_groups, mttdl, mttdl_lower95, nomdl) are ReliabilitySummary's, the rows
// summary.csv has, bit for bit.
// Results are aggregated strictly in (point, replication) order through a reorder buffer
// (ordered_parallel, or the MPI coordinator), so every output byte is independent of the thread
// count, the number of MPI ranks and the order in which tasks finish.
//
// Output directory (README, "Sweeps"): points.csv (long form, one row per point and metric,
// written as each point completes), sweep.csv (wide form, one row per point; only in a complete
// sweep), meta.csv (the sweep's identity and `status` complete|incomplete), `INCOMPLETE` (a
// marker file present exactly when the sweep was interrupted) and, with keep_runs, point-NNN/
// (NNN = point + 1) holding what `lunsim run --replications N --summary-only` writes for that
// point. The directory is written under a temporary name and renamed when it is complete or
// when an interrupted sweep has written its finished points, so a directory under the final
// name is either complete or carries the INCOMPLETE marker.
#pragma once

#include "sim/base/result.hpp"
#include "sim/metrics/statistics.hpp"
#include "sim/runner/interrupt.hpp"
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sim::runner {

class MpiSession;  // sweep_mpi.hpp

/// One grid axis: a scenario path and its values as given (YAML text; sweep.csv shows them).
struct GridAxis {
  std::string path;
  std::vector<std::string> values;
  bool from_section = false;  ///< the scenario's `sweep.grid` (else a --grid option)
};

/// Parses one `--grid path=v1,v2,...` option. Values are separated by commas outside brackets,
/// braces and quotes, so `x={dist: exponential, mean: 2ms},{dist: constant, value: 1ms}` has
/// two values; surrounding spaces are trimmed. Errors (no '=', an empty path or path element,
/// an empty value, a value listed twice, unbalanced brackets) are returned as a message.
base::Result<GridAxis, std::string> parse_grid_option(std::string_view text);

/// Seed of point p with independent seeds: the first 64-bit draw of the random stream of entity
/// "sweep/point" in replication p of `seed` (engine::RandomStream: SplitMix64 over a hash of
/// the three, then xoshiro256**). Part of the determinism contract.
std::uint64_t independent_seed(std::uint64_t seed, std::uint64_t point);

/// What a sweep runs: the scenario, its base options and the grid.
struct SweepPlan {
  std::string file;                   ///< scenario file name (diagnostics, meta.csv)
  std::string text;                   ///< scenario text
  scenario::LoadOptions base;         ///< the sweep's --set and --seed
  std::vector<GridAxis> axes;         ///< section axes first, then --grid axes
  std::size_t section_axes = 0;       ///< how many leading axes come from the section
  std::uint64_t replications = 1;
  bool independent = false;

  std::uint64_t points() const;
  /// Value index of each axis at `point` (row-major, last axis fastest).
  std::vector<std::size_t> coordinates(std::uint64_t point) const;
  /// The load options of `point` (base sets, then the point's --grid values, and its section
  /// values as LoadOptions::sweep_point).
  scenario::LoadOptions point_options(std::uint64_t point) const;
  /// Loads `point` (the seed is the scenario's, or --seed's, or independent_seed of it).
  scenario::LoadResult load_point(std::uint64_t point) const;
};

/// The mean of one summary metric in one replication (a row of replications.csv).
struct MetricMean {
  std::string metric, unit, better;
  double mean = 0;
};

/// What one task (one replication of one point) hands to the aggregation. `kept` is there only
/// for keep_runs (the point's run directory, through its ReplicationAggregate).
struct TaskResult {
  std::vector<MetricMean> means;  ///< in collect_metrics order
  ReliabilityRecord reliability;  ///< without its log
  std::uint64_t seed = 0;
  MetaInfo meta;
  std::optional<Replication> kept;  ///< keep_runs: the replication with its pooled values
  bool skipped = false;  ///< not run: the sweep was interrupted before the task started
};

/// Runs replication `replication` of a point's spec on `model` (a Replicator of that spec), as
/// run_replication does for `lunsim run --replications N --summary-only`.
TaskResult run_task(Replicator& model, std::uint64_t replication, bool keep_runs);

/// Byte encoding of a TaskResult without the keep_runs parts (MPI messages): strings length-
/// prefixed, numbers as their 64-bit patterns, so decode(encode(r)) has the same bits.
std::string encode(const TaskResult& r);
/// Throws std::runtime_error on a truncated or malformed buffer.
TaskResult decode(std::string_view bytes);

/// One row of a point's statistics.
struct PointRow {
  std::string metric, unit, better;
  std::uint64_t n = 0;
  double mean = 0;
  metrics::Interval ci95;
  /// Cross-replication reliability rows: their standard error (summary.csv's `se`); NaN for
  /// means of replication means, whose standard error follows from ci95.
  double se = std::numeric_limits<double>::quiet_NaN();
};

/// Streaming statistics of one point: add each replication's TaskResult in replication order.
/// Memory is O(metrics), whatever the number of replications. Row order follows
/// ReplicationPool's (the single-run order; a metric first seen in a later replication goes
/// after the metric preceding it there), then the cross-replication reliability rows
/// (ReliabilitySummary::rows, their n, mean and ci95).
class PointAccumulator {
public:
  void add(const TaskResult& r);
  std::uint64_t replications() const { return replications_; }
  std::vector<PointRow> rows() const;

private:
  struct Entry {
    std::string metric, unit, better;
    metrics::MeanCi stats;
  };
  std::vector<Entry> entries_;
  std::uint64_t replications_ = 0;
  ReliabilitySummary reliability_;
};

struct SweepOptions {
  std::filesystem::path output;      ///< -o DIR
  unsigned threads = 1;              ///< worker threads (per MPI rank)
  bool keep_runs = false;
  bool resume = false;
  bool progress = false;             ///< draw the progress bar (the caller checked for a terminal)
  BuildInfo build;
  std::vector<std::string> sets;     ///< the --set texts, for meta.csv
  /// Test hook (the CLI's hidden --interrupt-after): behave as if Ctrl-C came once this many
  /// points were finished in this invocation.
  std::optional<std::uint64_t> interrupt_after;
};

/// How a sweep ended.
struct SweepOutcome {
  bool complete = false;             ///< false: interrupted, output marked incomplete
  std::uint64_t points_done = 0;     ///< finished points in the output
  std::uint64_t points = 0;
  std::uint64_t tasks_run = 0;       ///< tasks this invocation ran (all ranks)
  std::filesystem::path directory;
};

/// Bad input found while preparing a sweep (output directory, resume mismatch): the message
/// names the problem; the CLI exits 2.
class SweepInputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Runs the sweep on this process's threads, or, when `mpi` is set (see sweep_mpi.hpp), as one
/// rank of an MPI job: every rank calls it, rank 0 writes the output. Every point must load
/// (the caller validated them). Throws SweepInputError for bad output or resume input.
SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options, std::ostream& err,
                       MpiSession* mpi = nullptr);

} // namespace sim::runner
