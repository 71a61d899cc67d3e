// Replications of one scenario: `lunsim run --replications N`, and the replications of a sweep
// point (sweep.hpp). One replication is run on a Replicator and reduced at once to what the
// aggregate needs (its own summary rows, its metrics' values sorted, its reliability record,
// seed and meta values); the aggregate takes replications strictly in replication order.
//
// Streaming: a replication's values (every response time, every drive's utilisation) live only
// while that replication is summarised and pooled. Across replications the aggregate keeps
// O(metrics) state, never O(replications): per metric a metrics::Pooled sample (exact
// percentiles up to 2^20 pooled values, then a relative-error sketch; README "Replications")
// and the running mean and 95 % interval of the per-replication means (metrics::MeanCi); the
// reliability counters (ReliabilitySummary); the meta values and a FingerprintChain.
// replications.csv and reliability.csv are written row by row as replications arrive.
//
// Determinism: the aggregate's output is a function of the replications' results in
// replication order only, so it is the same bytes for any thread count or number of MPI
// ranks, as long as the caller feeds it in order (ordered_parallel's consumer does).
#pragma once

#include "sim/metrics/pooled.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/statistics.hpp"
#include "sim/runner/outputs.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/spec.hpp"

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::runner {

/// One metric's values in one replication, sorted ascending: `ns` for a duration metric
/// (MetricSample::durations), `values` otherwise; a sketched duration sample (more than
/// metrics::DurationSample::exact_limit values) hands over its `tail` instead of `ns`.
struct SortedValues {
  bool durations = false;
  std::vector<std::int64_t> ns;
  std::vector<double> values;
  std::shared_ptr<const metrics::DurationTail> tail;
};

/// What one replication hands to the aggregate.
struct Replication {
  std::uint64_t index = 0;           ///< 0-based replication index
  std::uint64_t seed = 0;
  std::vector<SummaryRow> summary;   ///< its own rows, in collect_metrics order
  std::vector<SortedValues> values;  ///< the values of summary[i], when pooled (else empty)
  ReliabilityRecord reliability;     ///< without its loss log
  MetaInfo meta;                     ///< meta_of its result
};

struct ReplicationOptions {
  /// Keep each metric's sorted values for the aggregate's pooled summary (off: only the rows).
  bool pool = true;
  /// Batch-means intervals in the I/O rows, as a single run's summary.csv has them (only where
  /// the replication's own summary.csv is written: the rows' ci95 is in no other file).
  bool batch_ci = false;
};

/// Sees a replication's whole result and its summary rows before the result is released (the
/// rep-NNN directory is written here). Called on the thread that summarises the replication.
using ReplicationSink = std::function<void(const RunResult&, const std::vector<SummaryRow>&)>;

/// Reduces one replication's result: its summary rows (summarize()'s, bit for bit; ci95 only
/// with options.batch_ci), and with options.pool every metric's values sorted (each sample is
/// sorted once, for both). `sink`, when set, is called before `result` is released.
Replication summarize_replication(RunResult&& result, const ReplicationOptions& options,
                                  const ReplicationSink& sink = nullptr);

/// Runs `run.replication` on `model` and summarises it as above.
Replication run_replication(Replicator& model, const RunOptions& run, const ReplicationOptions& options,
                            const ReplicationSink& sink = nullptr);

/// The pooled rows of summary.csv over replications added in replication order. For each metric
/// the values of every replication having it are pooled (metrics::Pooled: exact up to
/// metrics::Pooled::exact_limit values, then a sketch, SummaryRow::sketched) and ci95 is the 95 %
/// t interval of the per-replication means (NaN with fewer than two replications having the
/// metric). Rows keep the single-run order; a metric first seen in a later replication is
/// placed after the metric preceding it there.
class ReplicationPool {
public:
  /// One replication, with its values (ReplicationOptions::pool).
  void add(const Replication& r);
  /// One replication's samples (collect_metrics of its result): what summarize_replication
  /// makes of them, added.
  void add(std::vector<MetricSample> samples);
  std::size_t replications() const { return replications_; }
  std::vector<SummaryRow> rows() const;
  /// How `metric` is held now (nullopt: no replication had it).
  std::optional<metrics::PoolTier> tier(const std::string& metric) const;
  /// Bytes held: bounded per metric (metrics::Pooled), whatever the number of replications.
  std::size_t memory_bytes() const;

private:
  struct Entry {
    std::string metric, unit, better;
    bool durations = false;
    metrics::PooledDurations ns;
    metrics::PooledValues values;
    metrics::MeanCi means;  ///< of the per-replication means, in replication order
  };
  std::vector<Entry> entries_;
  std::size_t replications_ = 0;
};

/// Everything a replicated run directory holds besides the rep-NNN directories, fed in
/// replication order: replications.csv and reliability.csv (when the scenario models failures)
/// as replications arrive, then summary.csv (the pooled rows and ReliabilitySummary's) and
/// meta.csv. `lunsim run --replications N` (N > 1) and a sweep's --keep-runs points use it.
class ReplicationAggregate {
public:
  /// Opens replications.csv (and reliability.csv) in `dir`; `spec` and `dir` must outlive the
  /// aggregate. `replications` is the count meta.csv reports.
  ReplicationAggregate(metrics::RunDirectory& dir, const scenario::ScenarioSpec& spec, std::uint64_t replications);
  ReplicationAggregate(const ReplicationAggregate&) = delete;
  ReplicationAggregate& operator=(const ReplicationAggregate&) = delete;

  /// Adds the next replication: r.index must be the number added so far (throws
  /// std::logic_error otherwise). r.values must be present (ReplicationOptions::pool).
  void add(Replication&& r);
  std::uint64_t added() const { return added_; }
  /// The pooled rows, then ReliabilitySummary's rows.
  std::vector<SummaryRow> rows() const;
  /// meta.csv's values: the scenario's seed, the replication count, the last horizon, the
  /// latest end, the sums of events and wall times, the combined fingerprint.
  const MetaInfo& meta() const { return meta_; }
  /// Writes summary.csv and meta.csv; returns the rows written.
  std::vector<SummaryRow> finish(const BuildInfo& build);
  std::size_t memory_bytes() const { return pool_.memory_bytes(); }

private:
  metrics::RunDirectory* dir_;
  const scenario::ScenarioSpec* spec_;
  ReplicationsCsv replications_csv_;
  std::optional<ReliabilityCsv> reliability_csv_;
  ReplicationPool pool_;
  ReliabilitySummary reliability_;
  MetaInfo meta_;
  FingerprintChain fingerprints_;
  std::uint64_t added_ = 0;
};

/// How `lunsim run` runs a scenario.
struct ReplicatedRunOptions {
  std::uint64_t replications = 1;
  /// Worker threads; 0: one per hardware thread. At most `replications`; 1 with foreign clients
  /// (a client library may keep globals).
  unsigned threads = 0;
  bool summary_only = false;  ///< no rep-NNN directories
  bool trace = false;
  const CompatClients* compat = nullptr;  ///< foreign clients (not owned; null: none)
  provider::BuiltinClient client = provider::BuiltinClient::Reference;  ///< makes the operations
  std::ostream* progress = nullptr;       ///< draw a progress bar there (null: none)
  /// Ctrl-C (RunOptions::interrupt): once set, runs stop within 1024 events, no replication
  /// starts, and run_replications throws Interrupted (the directory is not committed).
  const std::atomic<bool>* interrupt = nullptr;
};

/// What `lunsim run` prints once the directory is written.
struct RunOutcome {
  std::optional<RunResult> single;  ///< the result of a single run (replications <= 1)
  MetaInfo meta;
  std::vector<SummaryRow> rows;     ///< summary.csv's rows
};

/// `lunsim run`: one run, written as write_run plus replications.csv; or N > 1 replications on
/// a pool of threads (ordered_parallel: at most 4 x threads finished replications wait for
/// their turn), each thread reusing a Replicator, each replication's rep-NNN directory written
/// by the thread that ran it (unless summary_only), all aggregated in replication order
/// (ReplicationAggregate). Writes into `dir`; the caller commits it.
RunOutcome run_replications(const scenario::ScenarioSpec& spec, const ReplicatedRunOptions& options,
                            const BuildInfo& build, metrics::RunDirectory& dir);

} // namespace sim::runner
