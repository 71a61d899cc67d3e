// The run directory: one CSV per table (the README lists every file and column), written into a
// RunDirectory that becomes visible under its final name only when complete.
//
// Times are seconds printed exactly from nanoseconds (9 decimals); HRESULTs are two columns,
// `<name>_hex` (0x80042409) and `<name>` (VDS_E_OPERATION_PENDING); quoting is RFC 4180.
// Everything but meta.csv's wall_time_s is a pure function of (scenario, seed, build).
#pragma once

#include "sim/metrics/csv.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/statistics.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/spec.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>
#include <optional>
#include <vector>

namespace sim::runner {

/// Version of the CSV layout; readers refuse run directories of another schema.
inline constexpr int csv_schema = 1;

struct BuildInfo {
  std::string version;       ///< lunsim version
  std::string git_revision;  ///< "unknown" outside a git checkout
};

/// One row of summary.csv: metric `family.subject.measure`, its unit and which way is better.
struct SummaryRow {
  std::string metric;
  std::string unit;    ///< "s", "ratio", "ops/s", "count", "bytes"
  std::string better;  ///< lower, higher or none
  metrics::Summary stats;
  metrics::Interval ci95{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  /// The percentiles come from a quantile sketch (a pooled metric past the exact bound,
  /// metrics::Pooled, or a sample of more than metrics::DurationSample::exact_limit response
  /// times), not from every value: summary.csv's `percentiles` column says `sketch`.
  bool sketched = false;
  /// Reliability rows: the standard error of `mean` and the effective sample size (the number of
  /// replications that carry the estimate, (Σ y)² / Σ y² over their contributions); NaN elsewhere.
  /// summary.csv also writes relative_error = se / mean.
  double se = std::numeric_limits<double>::quiet_NaN();
  double ess = std::numeric_limits<double>::quiet_NaN();
};

/// The underlying values of one summary metric of one run: durations (integer nanoseconds, unit
/// "s") or plain values, whichever `durations` says.
struct MetricSample {
  std::string metric;
  std::string unit;
  std::string better;
  bool durations = false;
  bool batch_ci = false;  ///< single run: ci95 from batch means (I/O response times)
  metrics::DurationSample ns;
  metrics::ValueSample values;

  std::size_t size() const { return durations ? ns.size() : values.size(); }
};

/// The samples behind summarize(result), in its row order (every sample is non-empty).
std::vector<MetricSample> collect_metrics(const RunResult& result);

/// The summary row of one run's sample (ci95 from batch means when batch_ci, else none).
SummaryRow summarize_sample(const MetricSample& sample);

/// The metrics of one run, in a fixed order. Confidence intervals of I/O response times come from
/// batch means over the run (20 batches); single-valued metrics have none.
std::vector<SummaryRow> summarize(const RunResult& result);

/// The reliability.* rows that come from all replications together (README, "Reliability"):
/// p_loss (share of replications with a data loss of either kind by the horizon; Clopper-Pearson
/// 95 % interval), p_group_loss (share of groups, i.e. LUNs, over all replications; Clopper-
/// Pearson, which assumes groups independent), loss_events_per_1000_groups (whole-LUN losses;
/// exact Poisson interval), mttdl (group-hours / whole-LUN losses, only when there is a loss;
/// exact chi-square interval, right for exponential times between losses), mttdl_lower95 (the
/// one-sided 95 % lower bound 2T / chi2(0.95; 2L + 2), also with zero losses) and nomdl (bytes
/// lost / usable bytes; t interval over the replications' ratios, streamed through
/// metrics::MeanCi, so memory does not grow with the replications). Add each replication's
/// record in replication order; rows() is empty when no record was enabled. Each row carries
/// only n, mean and ci95 (the other statistics are NaN). `lunsim run --replications N` and a
/// sweep's points both report these rows.
class ReliabilitySummary {
public:
  void add(const ReliabilityRecord& r);
  std::vector<SummaryRow> rows() const;
  /// Importance sampling: one message per row whose weights degenerate (its effective sample
  /// size below 10; for p_loss also the world's likelihood ratios averaging outside 0.5..2,
  /// whose expectation is 1); empty otherwise.
  std::vector<std::string> warnings() const;

private:
  /// Sums of per-replication contributions y (in replication order).
  struct Moments {
    std::uint64_t n = 0, hits = 0;  ///< hits: contributions not 0
    double sum = 0, sum2 = 0;
    void add(double y);
    double se() const;   ///< of the mean; NaN below two values
    double ess() const;  ///< (Σ y)² / Σ y²
  };
  /// Σ y / Σ x over the replications, its standard error by the delta method.
  struct Ratio {
    Moments top;
    std::uint64_t n = 0;
    double sx = 0, sxx = 0, sxy = 0;
    void add(double y, double x);
    double value() const;
    double se() const;
  };
  bool enabled_ = false;
  bool weighted_ = false;
  std::uint64_t replications_ = 0, with_loss_ = 0, groups_ = 0, groups_with_loss_ = 0, losses_ = 0;
  double group_hours_ = 0, bytes_lost_ = 0, usable_bytes_ = 0;
  metrics::MeanCi nomdl_;  ///< of the per-replication ratios
  // importance sampling
  Moments p_loss_, weights_;
  Ratio p_group_loss_, loss_events_, nomdl_weighted_;
};

/// reliability.csv: one row per replication. Open with the header, then add in order.
class ReliabilityCsv {
public:
  /// `weighted` (importance sampling) adds the likelihood-ratio columns.
  ReliabilityCsv(std::ostream& out, bool weighted);
  void add(std::uint64_t replication, std::uint64_t seed, const ReliabilityRecord& r);

private:
  metrics::CsvWriter w_;
  bool weighted_;
};

/// The values of meta.csv other than the build's and the scenario's.
struct MetaInfo {
  std::uint64_t seed = 0;
  std::uint64_t replications = 1;
  base::Time horizon = base::never;
  base::Time end{};
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0;
  double wall_seconds = 0;
  /// Written as `warning` rows (importance sampling: degenerate weights).
  std::vector<std::string> warnings;
};

/// The meta.csv values of a single run.
MetaInfo meta_of(const RunResult& result);

/// The fingerprint of a multi-replication run: 64-bit FNV-1a over the replications'
/// fingerprints in replication order, each as 8 bytes, least significant first.
std::uint64_t combine_fingerprints(const std::vector<std::uint64_t>& fingerprints);

/// combine_fingerprints one fingerprint at a time (O(1) memory): add them in replication order.
class FingerprintChain {
public:
  void add(std::uint64_t fingerprint);
  std::uint64_t value() const { return hash_; }

private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
};

/// timeseries.csv and io_timeseries.csv written as the run makes their rows (RunOptions::series):
/// opens the files the scenario has (io_timeseries.csv only with an I/O load) with their headers
/// in `dir`, which must outlive it. write_tables leaves both files alone for a result whose rows
/// were streamed.
class SeriesCsv final : public SeriesSink {
public:
  SeriesCsv(const scenario::ScenarioSpec& spec, metrics::RunDirectory& dir);
  void add(const TimeseriesRow& row) override;
  void add(const IoTimeseriesRow& row) override;

private:
  std::optional<metrics::CsvWriter> series_, io_;
};

/// Writes every file of the run directory (trace.csv only when the run recorded a trace);
/// `summary` is summarize(result).
void write_run(const RunResult& result, const scenario::ScenarioSpec& spec, const BuildInfo& build,
               const std::vector<SummaryRow>& summary, metrics::RunDirectory& dir);

/// write_run without meta.csv (a replication's subdirectory rep-NNN).
void write_tables(const RunResult& result, const scenario::ScenarioSpec& spec, const std::vector<SummaryRow>& summary,
                  metrics::RunDirectory& dir);

/// Writes summary.csv with these rows. Its last column, `percentiles`, says where a row's
/// percentiles come from: `exact` (every value), `sketch` (SummaryRow::sketched) or empty for a
/// row without percentiles (the cross-replication reliability rows).
void write_summary(const std::vector<SummaryRow>& summary, metrics::RunDirectory& dir);

/// Writes meta.csv.
void write_meta(const MetaInfo& meta, const scenario::ScenarioSpec& spec, const BuildInfo& build,
                metrics::RunDirectory& dir);

/// replications.csv: one row per replication and metric. Open with the header, then add each
/// replication's summary rows in replication order.
class ReplicationsCsv {
public:
  explicit ReplicationsCsv(std::ostream& out);
  void add(std::uint64_t replication, std::uint64_t seed, const std::vector<SummaryRow>& rows);

private:
  metrics::CsvWriter w_;
};

/// The short human summary `lunsim run` prints.
void print_summary(std::ostream& os, const RunResult& result, const scenario::ScenarioSpec& spec,
                   const std::vector<SummaryRow>& rows);

/// The summary `lunsim run --replications N` prints for N > 1: the pooled rows, the number of
/// replications, the total events and the wall time.
void print_pooled_summary(std::ostream& os, const scenario::ScenarioSpec& spec, const MetaInfo& meta,
                          const std::vector<SummaryRow>& rows);

} // namespace sim::runner
