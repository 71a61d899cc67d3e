#include "sim/runner/replications.hpp"

#include "sim/runner/interrupt.hpp"
#include "sim/runner/parallel.hpp"
#include "sim/runner/progress.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <thread>

namespace sim::runner {

Replication summarize_replication(RunResult&& result, const ReplicationOptions& options, const ReplicationSink& sink) {
  std::vector<MetricSample> samples = collect_metrics(result);
  Replication rep;
  rep.summary.reserve(samples.size());
  if (options.pool) rep.values.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const MetricSample& m = samples[i];
    SummaryRow row{m.metric, m.unit, m.better, {}, metrics::Interval{std::nan(""), std::nan("")}};
    SortedValues sorted;
    sorted.durations = m.durations;
    // A metric that is a copy of an earlier one (a single load's rows) is sorted once.
    std::size_t same = i;
    if (m.durations)
      for (std::size_t j = 0; j < i && same == i; ++j)
        if (samples[j].durations && samples[j].ns.same_runs(m.ns)) same = j;
    if (same < i) {
      row.stats = rep.summary[same].stats;
      row.ci95 = rep.summary[same].ci95;
      row.sketched = rep.summary[same].sketched;
      if (options.pool) {
        sorted.ns = rep.values[same].ns;
        sorted.tail = rep.values[same].tail;
      }
    } else if (m.durations && m.ns.sketched()) {
      sorted.tail = std::make_shared<const metrics::DurationTail>(*m.ns.tail());
      row.stats = sorted.tail->summary();
      row.sketched = true;
      if (options.batch_ci && m.batch_ci) row.ci95 = sorted.tail->batch_ci95();
    } else if (m.durations) {
      sorted.ns = m.ns.sorted_ns();
      row.stats = metrics::summarize_sorted(std::span<const std::int64_t>(sorted.ns));
      if (options.batch_ci && m.batch_ci) row.ci95 = metrics::batch_means_ci95(m.ns);
    } else {
      sorted.values = m.values.sorted();
      row.stats = metrics::summarize_sorted(std::span<const double>(sorted.values));
    }
    rep.summary.push_back(std::move(row));
    if (options.pool) rep.values.push_back(std::move(sorted));
  }
  samples.clear();
  if (sink) sink(result, rep.summary);
  rep.index = result.replication;
  rep.seed = result.seed;
  rep.meta = meta_of(result);
  rep.reliability = std::move(result.reliability);
  rep.reliability.log.clear();
  rep.reliability.log.shrink_to_fit();
  return rep;
}

Replication run_replication(Replicator& model, const RunOptions& run, const ReplicationOptions& options,
                            const ReplicationSink& sink) {
  return summarize_replication(model.run(run), options, sink);
}

// --- the pool --------------------------------------------------------------------------------

void ReplicationPool::add(const Replication& r) {
  if (r.values.size() != r.summary.size())
    throw std::logic_error("ReplicationPool::add: a replication without its values (ReplicationOptions::pool)");
  // Where the previous metric of this replication sits in entries_ (new metrics go after it).
  std::size_t next = 0;
  for (std::size_t k = 0; k < r.summary.size(); ++k) {
    const SummaryRow& row = r.summary[k];
    std::size_t i = next < entries_.size() && entries_[next].metric == row.metric ? next : 0;
    while (i < entries_.size() && entries_[i].metric != row.metric) ++i;
    if (i == entries_.size()) {
      Entry e;
      e.metric = row.metric;
      e.unit = row.unit;
      e.better = row.better;
      e.durations = r.values[k].durations;
      i = next;
      entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(i), std::move(e));
    }
    Entry& e = entries_[i];
    e.means.add(row.stats.mean);
    if (e.durations && r.values[k].tail) e.ns.add_tail(*r.values[k].tail);
    else if (e.durations) e.ns.add_sorted(r.values[k].ns);
    else e.values.add_sorted(r.values[k].values);
    next = i + 1;
  }
  ++replications_;
}

void ReplicationPool::add(std::vector<MetricSample> samples) {
  Replication r;
  for (MetricSample& m : samples) {
    SummaryRow row{m.metric, m.unit, m.better, {}, metrics::Interval{std::nan(""), std::nan("")}};
    SortedValues sorted;
    sorted.durations = m.durations;
    if (m.durations && m.ns.sketched()) {
      sorted.tail = std::make_shared<const metrics::DurationTail>(*m.ns.tail());
      row.stats = sorted.tail->summary();
      row.sketched = true;
    } else if (m.durations) {
      sorted.ns = m.ns.sorted_ns();
      row.stats = metrics::summarize_sorted(std::span<const std::int64_t>(sorted.ns));
    } else {
      sorted.values = m.values.sorted();
      row.stats = metrics::summarize_sorted(std::span<const double>(sorted.values));
    }
    r.summary.push_back(std::move(row));
    r.values.push_back(std::move(sorted));
  }
  add(r);
}

std::vector<SummaryRow> ReplicationPool::rows() const {
  std::vector<SummaryRow> rows;
  rows.reserve(entries_.size());
  for (const Entry& e : entries_) {
    SummaryRow r{e.metric, e.unit, e.better, e.durations ? e.ns.summary() : e.values.summary(), e.means.ci95()};
    r.sketched = e.durations ? !e.ns.exact() : !e.values.exact();
    rows.push_back(std::move(r));
  }
  return rows;
}

std::optional<metrics::PoolTier> ReplicationPool::tier(const std::string& metric) const {
  for (const Entry& e : entries_)
    if (e.metric == metric) return e.durations ? e.ns.tier() : e.values.tier();
  return std::nullopt;
}

std::size_t ReplicationPool::memory_bytes() const {
  std::size_t bytes = sizeof(*this) + entries_.capacity() * sizeof(Entry);
  for (const Entry& e : entries_)
    bytes += e.ns.memory_bytes() + e.values.memory_bytes() - sizeof(e.ns) - sizeof(e.values) + e.metric.capacity() +
             e.unit.capacity() + e.better.capacity();
  return bytes;
}

// --- the aggregate ---------------------------------------------------------------------------

ReplicationAggregate::ReplicationAggregate(metrics::RunDirectory& dir, const scenario::ScenarioSpec& spec,
                                           std::uint64_t replications)
    : dir_(&dir), spec_(&spec), replications_csv_(dir.open("replications.csv")) {
  if (spec.reliability()) reliability_csv_.emplace(dir.open("reliability.csv"), spec.estimator.importance_sampling());
  meta_.seed = spec.seed;
  meta_.replications = replications;
}

void ReplicationAggregate::add(Replication&& r) {
  if (r.index != added_)
    throw std::logic_error("ReplicationAggregate::add: replication " + std::to_string(r.index) + " out of order (expected " +
                           std::to_string(added_) + ")");
  replications_csv_.add(r.index, r.seed, r.summary);
  if (reliability_csv_) reliability_csv_->add(r.index, r.seed, r.reliability);
  reliability_.add(r.reliability);
  meta_.horizon = r.meta.horizon;
  meta_.end = std::max(meta_.end, r.meta.end);
  meta_.events += r.meta.events;
  meta_.wall_seconds += r.meta.wall_seconds;
  fingerprints_.add(r.meta.fingerprint);
  meta_.fingerprint = fingerprints_.value();
  pool_.add(r);
  ++added_;
}

std::vector<SummaryRow> ReplicationAggregate::rows() const {
  std::vector<SummaryRow> rows = pool_.rows();
  for (SummaryRow& row : reliability_.rows()) rows.push_back(std::move(row));
  return rows;
}

std::vector<SummaryRow> ReplicationAggregate::finish(const BuildInfo& build) {
  std::vector<SummaryRow> out = rows();
  meta_.warnings = reliability_.warnings();
  write_summary(out, *dir_);
  write_meta(meta_, *spec_, build, *dir_);
  return out;
}

// --- lunsim run --------------------------------------------------------------------------------

namespace {

RunOutcome run_single(const scenario::ScenarioSpec& spec, const ReplicatedRunOptions& options, const BuildInfo& build,
                      metrics::RunDirectory& dir) {
  RunOptions run;
  run.trace = options.trace;
  run.compat = options.compat;
  run.client = options.client;
  run.interrupt = options.interrupt;
  SeriesCsv series(spec, dir);
  run.series = &series;
  RunOutcome out;
  out.single.emplace(run_scenario(spec, run));
  const RunResult& result = *out.single;
  out.rows = summarize(result);
  ReliabilitySummary rel;
  rel.add(result.reliability);
  for (SummaryRow& row : rel.rows()) out.rows.push_back(std::move(row));
  write_run(result, spec, build, out.rows, dir);
  {
    ReplicationsCsv reps(dir.open("replications.csv"));
    reps.add(0, result.seed, out.rows);
  }
  out.meta = meta_of(result);
  return out;
}

} // namespace

RunOutcome run_replications(const scenario::ScenarioSpec& spec, const ReplicatedRunOptions& options,
                            const BuildInfo& build, metrics::RunDirectory& dir) {
  if (options.replications <= 1) return run_single(spec, options, build, dir);
  const std::uint64_t n = options.replications;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads =
      options.compat != nullptr ? 1u : static_cast<unsigned>(std::min<std::uint64_t>(options.threads == 0 ? hw : options.threads, n));

  ReplicationAggregate aggregate(dir, spec, n);
  std::ostream nowhere(nullptr);
  Progress progress(options.progress != nullptr ? *options.progress : nowhere, n, "replications", options.progress != nullptr);
  const std::filesystem::path top = dir.path();
  // One model per thread, reset between its replications (Replicator).
  std::mutex models_mu;
  std::vector<std::unique_ptr<Replicator>> models;
  auto take_model = [&] {
    std::lock_guard lock(models_mu);
    if (models.empty()) return std::make_unique<Replicator>(spec);
    auto m = std::move(models.back());
    models.pop_back();
    return m;
  };
  auto give_model = [&](std::unique_ptr<Replicator> m) {
    std::lock_guard lock(models_mu);
    models.push_back(std::move(m));
  };
  const ReplicationOptions how{true, !options.summary_only};
  ordered_parallel(
      n, threads, 4ull * threads,
      [&](std::uint64_t i) {
        RunOptions run;
        run.replication = i;
        run.trace = options.trace;
        run.compat = options.compat;
        run.client = options.client;
        run.events = !options.summary_only;
        run.tables = !options.summary_only;
        run.interrupt = options.interrupt;
        if (options.interrupt != nullptr && options.interrupt->load()) throw Interrupted{};
        // A replication's tables go to rep-NNN, its time series as the run makes them.
        std::optional<metrics::RunDirectory> sub;
        std::optional<SeriesCsv> series;
        ReplicationSink write_rep;
        if (!options.summary_only) {
          char name[32];
          std::snprintf(name, sizeof name, "rep-%03llu", static_cast<unsigned long long>(i + 1));
          sub.emplace(metrics::RunDirectory::create_exact(top / name));
          run.series = &series.emplace(spec, *sub);
          write_rep = [&](const RunResult& result, const std::vector<SummaryRow>& rows) {
            write_tables(result, spec, rows, *sub);
            sub->commit();
          };
        }
        std::unique_ptr<Replicator> model = take_model();
        RunResult result = model->run(run);
        give_model(std::move(model));
        return summarize_replication(std::move(result), how, write_rep);
      },
      [&](std::uint64_t i, Replication&& rep) {
        aggregate.add(std::move(rep));
        progress.update(i + 1);
      });
  progress.finish();
  RunOutcome out;
  out.rows = aggregate.finish(build);
  out.meta = aggregate.meta();
  return out;
}

} // namespace sim::runner
