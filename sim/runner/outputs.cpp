#include "sim/runner/outputs.hpp"

#include "sim/metrics/intervals.hpp"

#include "sim/base/sha256.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/provider/hresult.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>

namespace sim::runner {

namespace {

using metrics::CsvWriter;
using provider::HResult;

void time_or_empty(CsvWriter& w, base::Time t) {
  if (t == base::never) w.empty();
  else w.field(t);
}

void hresult_fields(CsvWriter& w, bool present, HResult h) {
  if (!present) {
    w.empty().empty();
    return;
  }
  w.field(provider::hex(h)).field(provider::describe(h));
}

void summary_fields(CsvWriter& w, const SummaryRow& r) {
  w.field(r.metric).field(r.unit).field(r.better).field(r.stats.n);
  for (double v : {r.stats.mean, r.stats.stddev, r.stats.min, r.stats.p50, r.stats.p90, r.stats.p95, r.stats.p99,
                   r.stats.max, r.ci95.low, r.ci95.high})
    w.field(v);
  if (std::isnan(r.stats.p50)) w.empty();
  else w.field(r.sketched ? "sketch" : "exact");
  w.field(r.se).field(r.se / r.stats.mean).field(r.ess);
  w.end_row();
}

MetricSample duration_sample(std::string metric, metrics::DurationSample s, bool batch_ci) {
  MetricSample m;
  m.metric = std::move(metric);
  m.unit = "s";
  m.better = "lower";
  m.durations = true;
  m.batch_ci = batch_ci;
  m.ns = std::move(s);
  return m;
}

MetricSample value_sample(std::string metric, std::string unit, std::string better, metrics::ValueSample s) {
  MetricSample m;
  m.metric = std::move(metric);
  m.unit = std::move(unit);
  m.better = std::move(better);
  m.values = std::move(s);
  return m;
}

std::string seconds(base::Time t) { return t == base::never ? std::string() : base::format_seconds(t); }

} // namespace

SummaryRow summarize_sample(const MetricSample& m) {
  SummaryRow r{m.metric, m.unit, m.better, m.durations ? m.ns.summary() : m.values.summary(),
               metrics::Interval{std::nan(""), std::nan("")}};
  if (m.durations && m.batch_ci) r.ci95 = metrics::batch_means_ci95(m.ns);
  r.sketched = m.durations && m.ns.sketched();
  return r;
}

std::vector<MetricSample> collect_metrics(const RunResult& result) {
  std::vector<MetricSample> rows;
  // Management operations: latency of the successful ones, per kind, in kind order.
  std::map<std::string, metrics::DurationSample> op_latency;
  std::map<std::string, metrics::ValueSample> op_failed;
  for (const OpRecord& op : result.ops) {
    const std::string kind = scenario::to_string(op.kind);
    if (op.status == OpStatus::Ok) op_latency[kind].add(op.completed - op.started);
    if (op.status == OpStatus::Ok || op.status == OpStatus::Failed)
      op_failed[kind].add(op.status == OpStatus::Failed ? 1.0 : 0.0);
  }
  for (auto& [kind, sample] : op_latency) rows.push_back(duration_sample("op." + kind + ".latency", std::move(sample), false));
  for (auto& [kind, sample] : op_failed) rows.push_back(value_sample("op." + kind + ".failed", "ratio", "lower", std::move(sample)));

  // Host I/O: per direction over every load, then per load and direction.
  metrics::DurationSample all[2];
  std::uint64_t completed = 0;
  base::Time first = base::never, last{};
  for (const IoRecord& io : result.io) {
    all[io.kind == "read" ? 0 : 1].append(io.responses);  // shared, not copied
    completed += io.responses.size();
    first = std::min(first, io.first_start);
    last = std::max(last, io.last_end);
  }
  const std::size_t first_io_row = rows.size();
  if (!all[0].empty()) rows.push_back(duration_sample("io.read.response", std::move(all[0]), true));
  if (!all[1].empty()) rows.push_back(duration_sample("io.write.response", std::move(all[1]), true));
  std::map<std::string, bool> loads;
  for (const IoRecord& io : result.io) loads[io.load] = true;
  if (loads.size() == 1) {
    // One load: its rows are the overall ones under its own name.
    const std::size_t end = rows.size();
    for (std::size_t i = first_io_row; i < end; ++i) {
      MetricSample copy = rows[i];
      copy.metric = "io." + loads.begin()->first + copy.metric.substr(2);
      rows.push_back(std::move(copy));
    }
  } else {
    std::map<std::string, metrics::DurationSample> per_load;
    for (const IoRecord& io : result.io) per_load["io." + io.load + "." + io.kind + ".response"].append(io.responses);
    for (auto& [name, sample] : per_load) rows.push_back(duration_sample(name, std::move(sample), true));
  }
  if (completed > 0) {
    metrics::ValueSample tput;
    // Completed host requests per second over the span in which the loads ran.
    const double span = static_cast<double>((last - first).count()) * 1e-9;
    tput.add(span > 0 ? static_cast<double>(completed) / span : 0.0);
    rows.push_back(value_sample("io.throughput", "ops/s", "higher", std::move(tput)));
  }

  // Reliability: this replication's counts (the cross-replication rows are ReliabilitySummary's).
  if (result.reliability.enabled) {
    const ReliabilityRecord& rel = result.reliability;
    auto one = [&](const char* metric, const char* unit, const char* better, double v) {
      metrics::ValueSample x;
      x.add(v);
      rows.push_back(value_sample(metric, unit, better, std::move(x)));
    };
    // Importance sampling: each value weighted by its likelihood ratio, so that the mean over
    // the replications estimates the true expectation (losses by their groups' ratios, the rest
    // by the world's at the end).
    const double w = rel.weighted ? rel.weight : 1.0;
    one("reliability.losses", "count", "lower", rel.weighted ? rel.weighted_losses : static_cast<double>(rel.losses));
    one("reliability.bytes_lost", "bytes", "lower",
        rel.weighted ? rel.weighted_bytes_lost : static_cast<double>(rel.bytes_lost));
    one("reliability.drive_failures", "count", "none", w * static_cast<double>(rel.drive_failures));
    one("reliability.rebuilds", "count", "none", w * static_cast<double>(rel.rebuilds_completed));
    if (rel.groups > 0)
      one("reliability.degraded_time", "h", "lower", w * (rel.degraded_hours / static_cast<double>(rel.groups)));
  }

  // Topology: this replication's counts.
  if (result.fabric) {
    auto one = [&](const char* metric, const char* better, std::uint64_t v) {
      metrics::ValueSample x;
      x.add(static_cast<double>(v));
      rows.push_back(value_sample(metric, "count", better, std::move(x)));
    };
    one("fabric.component_failures", "none", result.fabric->component_failures);
    one("fabric.failovers", "none", result.fabric->failovers);
    one("fabric.stalled_requests", "lower", result.fabric->stalled);
    one("fabric.no_path_requests", "lower", result.fabric->no_path);
    one("fabric.retried_requests", "lower", result.fabric->retried);
  }

  // Drives: one value per drive.
  metrics::ValueSample util, queue;
  for (const DriveRecord& d : result.drives) {
    util.add(d.utilization);
    queue.add(d.mean_queue_length);
  }
  if (!util.empty()) {
    rows.push_back(value_sample("drive.utilization", "ratio", "none", std::move(util)));
    rows.push_back(value_sample("drive.queue_length", "count", "lower", std::move(queue)));
  }
  return rows;
}

std::vector<SummaryRow> summarize(const RunResult& result) {
  const std::vector<MetricSample> samples = collect_metrics(result);
  std::vector<SummaryRow> rows;
  rows.reserve(samples.size());
  for (const MetricSample& m : samples) rows.push_back(summarize_sample(m));
  return rows;
}

void ReliabilitySummary::Moments::add(double y) {
  ++n;
  if (y != 0) ++hits;
  sum += y;
  sum2 += y * y;
}

double ReliabilitySummary::Moments::se() const {
  if (n < 2) return std::nan("");
  const double mean = sum / static_cast<double>(n);
  return std::sqrt(std::max(0.0, sum2 - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1) /
                   static_cast<double>(n));
}

double ReliabilitySummary::Moments::ess() const { return sum2 > 0 ? sum * sum / sum2 : 0.0; }

void ReliabilitySummary::Ratio::add(double y, double x) {
  top.add(y);
  ++n;
  sx += x;
  sxx += x * x;
  sxy += x * y;
}

double ReliabilitySummary::Ratio::value() const { return top.sum / sx; }

double ReliabilitySummary::Ratio::se() const {
  // Delta method: se(Σy / Σx) = sqrt(Σ (y - R x)^2 / (n (n - 1))) / mean(x).
  if (n < 2 || !(sx > 0)) return std::nan("");
  const double r = value(), nn = static_cast<double>(n);
  const double resid = top.sum2 - 2 * r * sxy + r * r * sxx;
  return std::sqrt(std::max(0.0, resid) / (nn * (nn - 1))) / (sx / nn);
}

void ReliabilitySummary::add(const ReliabilityRecord& r) {
  if (!r.enabled) return;
  enabled_ = true;
  weighted_ = weighted_ || r.weighted;
  ++replications_;
  with_loss_ += r.losses + r.sector_losses > 0 ? 1 : 0;
  groups_ += r.groups;
  groups_with_loss_ += r.groups_with_loss;
  losses_ += r.losses;
  group_hours_ += r.group_hours;
  bytes_lost_ += static_cast<double>(r.bytes_lost);
  usable_bytes_ += static_cast<double>(r.usable_bytes);
  nomdl_.add(r.usable_bytes > 0 ? static_cast<double>(r.bytes_lost) / static_cast<double>(r.usable_bytes) : 0.0);
  p_loss_.add(r.weighted_loss);
  weights_.add(r.weight);
  p_group_loss_.add(r.weighted_groups_with_loss, static_cast<double>(r.groups));
  loss_events_.add(r.weighted_losses, static_cast<double>(r.groups));
  nomdl_weighted_.add(r.weighted_bytes_lost, static_cast<double>(r.usable_bytes));
}

std::vector<SummaryRow> ReliabilitySummary::rows() const {
  std::vector<SummaryRow> out;
  if (!enabled_) return out;
  const double nan = std::nan("");
  auto row = [&](const char* metric, const char* unit, const char* better, std::uint64_t n, double value,
                 metrics::Interval ci, double se, double ess) {
    SummaryRow r;
    r.metric = metric;
    r.unit = unit;
    r.better = better;
    r.stats.n = n;
    r.stats.mean = value;
    r.stats.stddev = r.stats.min = r.stats.p50 = r.stats.p90 = r.stats.p95 = r.stats.p99 = r.stats.max = nan;
    r.ci95 = ci;
    r.se = se;
    r.ess = ess;
    out.push_back(r);
  };
  if (weighted_) {
    // Importance sampling: weighted means over the replications, t intervals from the weighted
    // sample (README, "Rare data loss: importance sampling").
    const double t = replications_ >= 2 ? metrics::t_quantile_975(replications_ - 1) : nan;
    // Every reliability quantity is non-negative: the interval's lower end is clipped at 0.
    auto interval = [&](double mean, double se) {
      return metrics::Interval{std::max(0.0, mean - t * se), mean + t * se};
    };
    const double p = p_loss_.sum / static_cast<double>(replications_);
    row("reliability.p_loss", "ratio", "lower", replications_, p, interval(p, p_loss_.se()), p_loss_.se(), p_loss_.ess());
    if (groups_ > 0) {
      const double g = p_group_loss_.value(), gse = p_group_loss_.se();
      row("reliability.p_group_loss", "ratio", "lower", replications_, g, interval(g, gse), gse, p_group_loss_.top.ess());
      const double e = 1000 * loss_events_.value(), ese = 1000 * loss_events_.se();
      row("reliability.loss_events_per_1000_groups", "count", "lower", replications_, e, interval(e, ese), ese,
          loss_events_.top.ess());
    }
    if (group_hours_ > 0 && loss_events_.top.sum > 0) {
      // MTTDL = Σ hours / Σ weighted losses: its interval from the losses' (the hours are fixed
      // by the workload), and its lower bound from the losses' one-sided upper 95 % bound.
      const double losses = loss_events_.top.sum / static_cast<double>(replications_);
      const double lse = loss_events_.top.se();
      const double hours = group_hours_ / static_cast<double>(replications_);
      const double m = hours / losses;
      const metrics::Interval ci{hours / (losses + t * lse), losses > t * lse ? hours / (losses - t * lse) : nan};
      row("reliability.mttdl", "h", "higher", replications_, m, ci, m * lse / losses, loss_events_.top.ess());
      row("reliability.mttdl_lower95", "h", "higher", replications_, hours / (losses + 1.6448536269514722 * lse),
          metrics::Interval{nan, nan}, nan, loss_events_.top.ess());
    }
    if (usable_bytes_ > 0) {
      const double v = nomdl_weighted_.value(), vse = nomdl_weighted_.se();
      row("reliability.nomdl", "ratio", "lower", replications_, v, interval(v, vse), vse, nomdl_weighted_.top.ess());
    }
    return out;
  }
  const double p = static_cast<double>(with_loss_) / static_cast<double>(replications_);
  row("reliability.p_loss", "ratio", "lower", replications_, p, metrics::clopper_pearson(with_loss_, replications_),
      replications_ >= 2 ? std::sqrt(p * (1 - p) / static_cast<double>(replications_)) : nan,
      static_cast<double>(with_loss_));
  if (groups_ > 0) {
    const double g = static_cast<double>(groups_with_loss_) / static_cast<double>(groups_);
    row("reliability.p_group_loss", "ratio", "lower", groups_, g, metrics::clopper_pearson(groups_with_loss_, groups_),
        groups_ >= 2 ? std::sqrt(g * (1 - g) / static_cast<double>(groups_)) : nan,
        static_cast<double>(groups_with_loss_));
    const metrics::Interval events = metrics::poisson_interval(losses_);
    const double per = 1000.0 / static_cast<double>(groups_);
    row("reliability.loss_events_per_1000_groups", "count", "lower", groups_, per * static_cast<double>(losses_),
        metrics::Interval{per * events.low, per * events.high}, per * std::sqrt(static_cast<double>(losses_)),
        static_cast<double>(losses_));
  }
  if (group_hours_ > 0) {
    if (losses_ > 0) {
      const double m = group_hours_ / static_cast<double>(losses_);
      row("reliability.mttdl", "h", "higher", losses_, m,
          metrics::Interval{group_hours_ / metrics::poisson_interval(losses_).high,
                            group_hours_ / metrics::poisson_interval(losses_).low},
          m / std::sqrt(static_cast<double>(losses_)), static_cast<double>(losses_));
    }
    row("reliability.mttdl_lower95", "h", "higher", losses_,
        group_hours_ / metrics::poisson_upper_one_sided(losses_), metrics::Interval{nan, nan}, nan,
        static_cast<double>(losses_));
  }
  if (usable_bytes_ > 0)
    row("reliability.nomdl", "ratio", "lower", replications_, bytes_lost_ / usable_bytes_, nomdl_.ci95(), nomdl_.se(),
        nan);
  return out;
}

std::vector<std::string> ReliabilitySummary::warnings() const {
  std::vector<std::string> out;
  if (!weighted_) return out;
  char text[320];
  for (const SummaryRow& r : rows()) {
    if (r.metric == "reliability.mttdl_lower95") continue;
    const Moments& m = r.metric == "reliability.p_loss"                  ? p_loss_
                       : r.metric == "reliability.p_group_loss"          ? p_group_loss_.top
                       : r.metric == "reliability.nomdl"                 ? nomdl_weighted_.top
                                                                         : loss_events_.top;
    if (m.hits == 0) continue;
    // The likelihood ratios of the whole world average 1 in expectation: far from it, the
    // replications have not met the paths that carry the probability (p_loss weighs by them).
    const double mean_weight = weights_.sum / static_cast<double>(weights_.n);
    const bool unsettled = r.metric == "reliability.p_loss" && (mean_weight < 0.5 || mean_weight > 2);
    if (r.ess >= 10 && !unsettled) continue;
    const auto hits = static_cast<unsigned long long>(m.hits);
    if (r.metric == "reliability.p_loss")
      std::snprintf(text, sizeof text,
                    "%s: the weights degenerate (effective sample size %.1f of %llu replications with a loss, the "
                    "likelihood ratios average %.3g instead of 1): its estimate and interval are not to be trusted",
                    r.metric.c_str(), r.ess, hits, mean_weight);
    else
      std::snprintf(text, sizeof text,
                    "%s: the weights degenerate (effective sample size %.1f of %llu replications with a loss): its "
                    "estimate and interval are not to be trusted",
                    r.metric.c_str(), r.ess, hits);
    out.emplace_back(text);
  }
  return out;
}

ReliabilityCsv::ReliabilityCsv(std::ostream& out, bool weighted) : w_(out), weighted_(weighted) {
  std::vector<std::string> columns = {"replication", "seed", "groups", "losses", "sector_losses", "first_loss_s",
                                      "drive_failures", "replacements", "rebuilds_started", "rebuilds_completed",
                                      "latent_errors", "bytes_lost", "usable_bytes", "group_hours", "degraded_hours"};
  if (weighted_)
    for (const char* c : {"weight", "weighted_loss", "weighted_groups_with_loss", "weighted_losses", "weighted_bytes_lost"})
      columns.emplace_back(c);
  w_.header(columns);
}

void ReliabilityCsv::add(std::uint64_t replication, std::uint64_t seed, const ReliabilityRecord& r) {
  w_.field(replication).field(seed).field(r.groups).field(r.losses).field(r.sector_losses);
  time_or_empty(w_, r.first_loss);
  w_.field(r.drive_failures).field(r.replacements).field(r.rebuilds_started).field(r.rebuilds_completed);
  w_.field(r.latent_errors).field(r.bytes_lost).field(r.usable_bytes).field(r.group_hours).field(r.degraded_hours);
  if (weighted_)
    w_.field(r.weight).field(r.weighted_loss).field(r.weighted_groups_with_loss).field(r.weighted_losses)
        .field(r.weighted_bytes_lost);
  w_.end_row();
}

MetaInfo meta_of(const RunResult& result) {
  MetaInfo m;
  m.seed = result.seed;
  m.replications = 1;
  m.horizon = result.horizon;
  m.end = result.end;
  m.events = result.events;
  m.fingerprint = result.fingerprint;
  m.wall_seconds = result.wall_seconds;
  return m;
}

void FingerprintChain::add(std::uint64_t f) {
  for (int byte = 0; byte < 8; ++byte) {
    hash_ ^= (f >> (8 * byte)) & 0xffU;
    hash_ *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
}

std::uint64_t combine_fingerprints(const std::vector<std::uint64_t>& fingerprints) {
  FingerprintChain chain;
  for (const std::uint64_t f : fingerprints) chain.add(f);
  return chain.value();
}

ReplicationsCsv::ReplicationsCsv(std::ostream& out) : w_(out) {
  w_.header({"replication", "seed", "metric", "unit", "better", "n", "mean", "p50", "p90", "p99"});
}

void ReplicationsCsv::add(std::uint64_t replication, std::uint64_t seed, const std::vector<SummaryRow>& rows) {
  for (const SummaryRow& r : rows)
    w_.row(replication, seed, r.metric, r.unit, r.better, r.stats.n, r.stats.mean, r.stats.p50, r.stats.p90,
           r.stats.p99);
}

void write_run(const RunResult& result, const scenario::ScenarioSpec& spec, const BuildInfo& build,
               const std::vector<SummaryRow>& summary, metrics::RunDirectory& dir) {
  write_tables(result, spec, summary, dir);
  write_meta(meta_of(result), spec, build, dir);
}

void write_summary(const std::vector<SummaryRow>& summary, metrics::RunDirectory& dir) {
  CsvWriter w(dir.open("summary.csv"));
  w.header({"metric", "unit", "better", "n", "mean", "stddev", "min", "p50", "p90", "p95", "p99", "max", "ci95_low",
            "ci95_high", "percentiles", "se", "relative_error", "ess"});
  for (const SummaryRow& r : summary) summary_fields(w, r);
}

void write_meta(const MetaInfo& meta, const scenario::ScenarioSpec& spec, const BuildInfo& build,
                metrics::RunDirectory& dir) {
  CsvWriter w(dir.open("meta.csv"));
  w.header({"key", "value"});
  char fp[17];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(meta.fingerprint));
  char wall[32];
  std::snprintf(wall, sizeof wall, "%.3f", meta.wall_seconds);
  w.row("lunsim_version", build.version);
  w.row("git_revision", build.git_revision);
  w.row("csv_schema", std::uint64_t{csv_schema});
  w.row("scenario_name", spec.name);
  w.row("scenario_file", spec.file);
  w.row("scenario_sha256", base::sha256_hex(spec.text));
  w.row("seed", meta.seed);
  w.row("replications", meta.replications);
  w.row("horizon_s", seconds(meta.horizon));
  w.row("sim_end_s", seconds(meta.end));
  w.row("events_processed", meta.events);
  w.row("fingerprint", std::string(fp));
  for (const std::string& warning : meta.warnings) w.row("warning", warning);
  w.row("wall_time_s", std::string(wall));
}

SeriesCsv::SeriesCsv(const scenario::ScenarioSpec& spec, metrics::RunDirectory& dir) {
  if (!spec.metrics.timeseries) return;
  series_.emplace(dir.open("timeseries.csv"));
  series_->header({"time_s", "subsystem", "mean_queue_depth", "max_queue_depth", "utilization", "foreground_iops",
                   "background_mb_per_s", "jobs_running"});
  if (spec.io.empty()) return;
  io_.emplace(dir.open("io_timeseries.csv"));
  io_->header({"time_s", "load", "kind", "count", "errors", "iops", "mb_per_s", "mean_s", "p50_s", "p99_s", "max_s"});
}

void SeriesCsv::add(const TimeseriesRow& r) {
  series_->row(r.time, r.subsystem, r.mean_queue_depth, std::uint64_t{r.max_queue_depth}, r.utilization,
               r.foreground_iops, r.background_mb_per_s, std::uint64_t{r.jobs_running});
}

void SeriesCsv::add(const IoTimeseriesRow& r) {
  // Latencies are empty without completions.
  io_->field(r.time).field(r.load).field(r.kind).field(r.count).field(r.errors).field(r.iops).field(r.mb_per_s);
  if (r.count == 0) io_->empty().empty().empty().empty();
  else io_->field(r.mean).field(r.p50).field(r.p99).field(r.max);
  io_->end_row();
}

void write_tables(const RunResult& result, const scenario::ScenarioSpec& spec, const std::vector<SummaryRow>& summary,
                  metrics::RunDirectory& dir) {
  {
    CsvWriter w(dir.open("ops.csv"));
    w.header({"op_id", "op", "target", "name", "submitted_s", "started_s", "completed_s", "latency_s", "status",
              "wait_hresult_hex", "wait_hresult", "op_hresult_hex", "op_hresult", "output_type", "client",
              "client_hresult_hex", "client_hresult", "lun_size_bytes", "fault", "verdict", "orphaned_luns"});
    for (const OpRecord& op : result.ops) {
      w.field(std::uint64_t{op.id}).field(scenario::to_string(op.kind)).field(op.target).field(op.name);
      time_or_empty(w, op.submitted);
      time_or_empty(w, op.started);
      time_or_empty(w, op.completed);
      if (op.completed != base::never && op.started != base::never) w.field(op.completed - op.started);
      else w.empty();
      w.field(to_string(op.status));
      const bool done = op.completed != base::never;
      hresult_fields(w, done && op.client.waited, op.client.wait);
      hresult_fields(w, done && op.client.waited, op.client.op);
      if (done && op.client.waited && op.client.op.succeeded()) w.field(provider::to_string(op.client.output_type));
      else w.empty();
      w.field(op.called ? result.ops_client : std::string());
      hresult_fields(w, done, op.client.result);
      if (op.lun_size) w.field(*op.lun_size);
      else w.empty();
      w.field(op.fault).field(op.verdict).field(std::uint64_t{op.orphaned_luns});
      w.end_row();
    }
  }
  {
    CsvWriter w(dir.open("luns.csv"));
    w.header({"lun", "object", "object_id", "subsystem", "type", "size_bytes", "members", "member_drives", "stripe_unit_bytes", "status",
              "health", "deleted"});
    for (const LunRecord& l : result.luns)
      w.row(l.name, l.object, l.object_id, l.subsystem, l.type, l.size, std::uint64_t{l.members}, l.member_drives, l.stripe_unit, l.status,
            l.health, l.deleted ? "true" : "false");
  }
  {
    CsvWriter w(dir.open("drives.csv"));
    w.header({"drive", "subsystem", "enclosure", "model", "capacity_bytes", "used_bytes", "hot_spare", "status",
              "utilization", "mean_queue_length", "max_queue_length", "foreground_completed", "background_completed",
              "foreground_bytes", "background_bytes"});
    // The records follow the spec's drives (DriveRecord): the names come from it.
    std::size_t k = 0;
    std::string name;
    for (const scenario::SubsystemSpec& s : spec.subsystems)
      for (const scenario::EnclosureSpec& e : s.enclosures)
        for (std::uint32_t i = 0; i < e.count; ++i, ++k) {
          if (k >= result.drives.size())
            throw std::logic_error("write_tables: " + std::to_string(result.drives.size()) +
                                   " drive records for a scenario of more drives");
          const DriveRecord& d = result.drives[k];
          name = e.name;
          name += '/';
          name += std::to_string(i);
          if (d.generation > 1) name += "#" + std::to_string(d.generation);
          w.row(name, s.name, e.name, e.model.value, d.capacity, d.used, d.hot_spare ? "true" : "false",
                provider::to_string(d.status), d.utilization, d.mean_queue_length, std::uint64_t{d.max_queue_length},
                d.completed[0], d.completed[1], d.bytes[0], d.bytes[1]);
        }
    if (k != result.drives.size())
      throw std::logic_error("write_tables: " + std::to_string(result.drives.size()) +
                             " drive records for a scenario of " + std::to_string(k) + " drives");
  }
  if (spec.metrics.io) {
    CsvWriter w(dir.open("io.csv"));
    w.header({"load", "target", "kind", "count", "errors", "bytes", "mean_s", "p50_s", "p90_s", "p99_s", "max_s"});
    for (const IoRecord& io : result.io) {
      const metrics::Summary s = io.responses.summary();
      w.row(io.load, io.target, io.kind, s.n, io.errors, io.bytes, s.mean, s.p50, s.p90, s.p99, s.max);
    }
  }
  if (!result.replays.empty()) {
    CsvWriter w(dir.open("replays.csv"));
    w.header({"load", "trace", "format", "timing", "records", "replayed", "skipped", "cut", "bytes"});
    for (const ReplayRecord& r : result.replays)
      w.row(r.load, r.file, r.format, r.timing, r.records, r.replayed, r.skipped, r.cut, r.bytes);
  }
  {
    // Latency distributions (for CDFs): nearest-rank quantiles of every I/O record (exact, or
    // the sketch's past DurationSample::exact_limit responses) and of every management operation
    // kind that completed.
    CsvWriter w(dir.open("latency.csv"));
    w.header({"source", "load", "target", "kind", "quantile", "latency_s"});
    static constexpr unsigned tail[] = {9950, 9990, 9999, 10000};
    auto quantiles = [&](const metrics::DurationSample& ns, const std::string& source, const std::string& load,
                         const std::string& target, const std::string& kind) {
      if (ns.empty()) return;
      auto one = [&](unsigned bp) {
        w.row(source, load, target, kind, static_cast<double>(bp) / 10000.0,
              base::Time{base::Duration{ns.quantile_ns(bp)}});
      };
      for (unsigned bp = 0; bp <= 9900; bp += 100) one(bp);
      for (const unsigned bp : tail) one(bp);
    };
    if (spec.metrics.io)
      for (const IoRecord& io : result.io) quantiles(io.responses, "io", io.load, io.target, io.kind);
    std::map<std::string, metrics::DurationSample> ops;
    for (const OpRecord& o : result.ops)
      if ((o.status == OpStatus::Ok || o.status == OpStatus::Failed) && o.completed != base::never)
        ops[scenario::to_string(o.kind)].add(o.completed - o.started);
    for (const auto& [kind, ns] : ops) quantiles(ns, "op", "", "", kind);
  }
  if (!result.series_streamed) {
    SeriesCsv series(spec, dir);
    for (const TimeseriesRow& r : result.timeseries) series.add(r);
    for (const IoTimeseriesRow& r : result.io_timeseries) series.add(r);
  }
  {
    CsvWriter w(dir.open("events.csv"));
    w.header({"time_s", "event", "object_type", "object", "object_id", "detail"});
    for (const EventRecord& e : result.events_log) w.row(e.time, e.event, e.object_type, e.object, e.object_id, e.detail);
  }
  {
    CsvWriter w(dir.open("leaks.csv"));
    w.header({"object", "kind", "holder_kind", "holder", "count"});
    for (const auto& o : result.references)
      w.row(o.name, o.kind, o.holder.kind == provider::HolderKind::Client ? "client" : "provider", o.holder.name,
            std::uint64_t{o.count});
  }
  if (!result.clients.empty()) {
    CsvWriter w(dir.open("clients.csv"));
    w.header({"client", "entry", "entry_kind", "status", "hresult_hex", "hresult", "exit_code", "started_s",
              "finished_s", "blocked_in", "blocked_since_s", "create_lun_calls", "com_calls", "leaked_refs",
              "violations", "stack_bytes", "memory_bytes"});
    for (const ClientResult& c : result.clients) {
      const com::Outcome& o = c.outcome;
      const provider::HResult h{static_cast<std::uint32_t>(o.hresult)};
      w.field(c.holder).field(c.entry).field(com::to_string(c.kind));
      w.field(!o.finished ? "hang" : o.crashed ? "crash" : "finished");
      if (o.finished) w.field(provider::hex(h)).field(provider::describe(h));
      else w.empty().empty();
      if (o.finished && c.kind == com::EntryKind::Main) w.field(std::int64_t{o.exit_code});
      else w.empty();
      if (o.started_at == base::never) w.empty();
      else w.field(o.started_at);
      if (o.finished_at == base::never) w.empty();
      else w.field(o.finished_at);
      w.field(o.blocked_in);
      if (o.blocked_since == base::never) w.empty();
      else w.field(o.blocked_since);
      w.field(std::uint64_t{o.create_lun_calls}).field(o.com_calls).field(std::uint64_t{c.leaked_refs});
      w.field(std::uint64_t{c.violations});
      w.field(std::uint64_t{c.stack_bytes}).field(std::uint64_t{c.memory_bytes});
      w.end_row();
    }
  }
  if (spec.faults_section) {
    CsvWriter w(dir.open("faults.csv"));
    w.header({"time_s", "fault", "op", "behavior", "target", "exercised"});
    for (const provider::FaultEvent& e : result.fault_events)
      w.row(e.time, std::uint64_t{e.fault}, provider::to_string(e.op), provider::to_string(spec.faults.at(e.fault).behavior),
            e.target, e.exercised ? "true" : "false");
  }
  {
    CsvWriter w(dir.open("client-violations.csv"));
    w.header({"time_s", "client", "object", "kind", "detail"});
    for (const provider::ClientViolation& v : result.client_violations)
      w.row(v.time, v.client, v.object, provider::to_string(v.kind), v.detail);
  }
  {
    CsvWriter w(dir.open("violations.csv"));
    w.header({"time_s", "kind", "object", "detail"});
    for (const provider::Violation& v : result.violations) w.row(v.time, v.kind, v.object, v.detail);
  }
  if (result.reliability.enabled) {
    CsvWriter w(dir.open("losses.csv"));
    w.header({"time_s", "subsystem", "lun", "kind", "bytes"});
    for (const LossRecord& l : result.reliability.log)
      w.row(l.time, l.subsystem, l.lun, l.whole_lun ? "lun" : "sectors", l.bytes);
    ReliabilityCsv rel(dir.open("reliability.csv"), result.reliability.weighted);
    rel.add(result.replication, result.seed, result.reliability);
  }
  if (!result.trace.empty()) {
    CsvWriter w(dir.open("trace.csv"));
    w.header({"time_s", "kind", "entity"});
    for (const TraceRecord& t : result.trace) w.row(t.time, result.kind_names.at(t.kind), std::uint64_t{t.entity});
  }
  write_summary(summary, dir);
}

namespace {

/// A value for the console: four significant digits below 1 (0.235, 0.0001084, then
/// scientific: 1.694e-08), four decimals up to a million, scientific above (3.2e+09).
std::string readable(double v) {
  char text[48];
  if (std::isnan(v)) return "n/a";
  const double a = std::fabs(v);
  std::snprintf(text, sizeof text, a >= 1 && a < 1e6 ? "%.4f" : "%.4g", v);
  return text;
}

/// A duration in seconds for the console: microsecond resolution down to 1 ms (0.000382),
/// four significant digits below that (3.815e-05), never a zero that hides a value.
std::string seconds(double v) {
  char text[48];
  if (std::isnan(v)) return "n/a";
  const double a = std::fabs(v);
  std::snprintf(text, sizeof text, a == 0 || (a >= 1e-3 && a < 1e6) ? "%.6f" : "%.4g", v);
  return text;
}

/// One summary row: durations with n, mean, p50, p99 and max; other values with their mean;
/// the 95 % interval of the mean wherever the row has one (batch means in a single run, the
/// replication means with --replications), and a reliability estimate's relative error.
std::string summary_line(const SummaryRow& r) {
  char line[320];
  const std::string name = "  " + r.metric + std::string(r.metric.size() < 30 ? 30 - r.metric.size() : 0, ' ');
  const bool ci = !std::isnan(r.ci95.low) && !std::isnan(r.ci95.high);
  if (r.unit == "s") {
    std::snprintf(line, sizeof line, " n=%-8llu mean %10s s", static_cast<unsigned long long>(r.stats.n),
                  seconds(r.stats.mean).c_str());
    std::string text = name + line;
    if (ci) text += " [" + seconds(r.ci95.low) + ", " + seconds(r.ci95.high) + "]";
    std::snprintf(line, sizeof line, "  p50 %10s  p99 %10s  max %10s", seconds(r.stats.p50).c_str(),
                  seconds(r.stats.p99).c_str(), seconds(r.stats.max).c_str());
    return text + line + "\n";
  }
  std::string text = name + " mean " + readable(r.stats.mean);
  if (ci) text += " [" + readable(r.ci95.low) + ", " + readable(r.ci95.high) + "]";
  text += " " + r.unit;
  if (!std::isnan(r.se) && r.stats.mean != 0 && !std::isnan(r.ess)) {
    std::snprintf(line, sizeof line, " (relative error %.3g, ess %.1f)", r.se / r.stats.mean, r.ess);
    text += line;
  }
  return text + "\n";
}

} // namespace

void print_summary(std::ostream& os, const RunResult& result, const scenario::ScenarioSpec& spec,
                   const std::vector<SummaryRow>& rows) {
  std::map<std::string, int> by_status;
  for (const OpRecord& op : result.ops) ++by_status[to_string(op.status)];
  char line[256];
  os << "scenario " << spec.name << " (seed " << result.seed << ")\n";
  std::snprintf(line, sizeof line, "  simulated      %s s%s\n", base::format_seconds(result.end).c_str(),
                result.horizon != base::never && result.end >= result.horizon ? " (horizon)" : "");
  os << line;
  os << "  operations     " << result.ops.size();
  for (const auto& [status, n] : by_status) os << "  " << status << ": " << n;
  os << '\n';
  // Why operations failed, where the user looks (the first few; every one is in ops.csv).
  std::size_t failures = 0;
  for (const OpRecord& op : result.ops) {
    if (op.status != OpStatus::Failed) continue;
    if (++failures > 5) continue;
    const provider::HResult h = op.client.waited && op.client.op.failed() ? op.client.op
                                : op.client.call.failed()                  ? op.client.call
                                                                           : op.client.result;
    os << "  failed         " << scenario::to_string(op.kind) << " '" << op.name << "' on " << op.target << " at "
       << base::format_seconds(op.started) << " s: " << provider::describe(h) << " (" << provider::hex(h) << ")"
       << (op.fault.empty() ? "" : ", fault " + op.fault) << '\n';
  }
  if (failures > 5) os << "  failed         ... and " << failures - 5 << " more (ops.csv)\n";
  for (const SummaryRow& r : rows) os << summary_line(r);
  for (const ReplayRecord& r : result.replays)
    os << "  trace          '" << r.load << "' (" << r.file << "): " << r.records << " requests: " << r.replayed
       << " replayed, " << r.skipped << " skipped (beyond their target), " << r.cut << " cut by the "
       << (result.horizon != base::never ? "horizon" : "end") << " (replays.csv)\n";
  if (!result.clients.empty()) {
    std::size_t hung = 0, failed = 0;
    for (const ClientResult& c : result.clients) {
      if (!c.outcome.finished) ++hung;
      else if (c.outcome.hresult < 0) ++failed;  // crashed ones too (E_UNEXPECTED)
    }
    const ClientResult& first = result.clients.front();
    os << "  foreign clients " << result.clients.size() << " x " << first.entry << " (" << com::to_string(first.kind)
       << " entry): " << result.clients.size() - hung - failed << " succeeded, " << failed << " failed, " << hung
       << " hung; " << first.stack_bytes / 1024 << " KiB stack, " << first.memory_bytes
       << " bytes per client (clients.csv)\n";
  }
  std::size_t leaks = 0;
  for (const auto& o : result.references) leaks += o.count;
  if (leaks > 0) os << "  references still held at the end: " << leaks << " (leaks.csv)\n";
  if (spec.faults_section) {
    std::size_t exercised = 0;
    for (const auto& e : result.fault_events) exercised += e.exercised ? 1 : 0;
    os << "  faults fired   " << result.fault_events.size() << " (" << exercised << " exercised; faults.csv)\n";
  }
  if (!result.violations.empty())
    os << "  protocol violations by the provider: " << result.violations.size() << " (violations.csv)\n";
  if (!result.client_violations.empty())
    os << "  protocol violations by clients: " << result.client_violations.size() << " (client-violations.csv)\n";
  std::snprintf(line, sizeof line, "  events         %llu (%.2f M events/s), wall %.3f s\n",
                static_cast<unsigned long long>(result.events),
                result.wall_seconds > 0 ? 1e-6 * static_cast<double>(result.events) / result.wall_seconds : 0.0,
                result.wall_seconds);
  os << line;
}

void print_pooled_summary(std::ostream& os, const scenario::ScenarioSpec& spec, const MetaInfo& meta,
                          const std::vector<SummaryRow>& rows) {
  char line[256];
  os << "scenario " << spec.name << " (seed " << meta.seed << ")\n";
  os << "  replications   " << meta.replications << " (pooled; ci95 from the replication means)\n";
  for (const SummaryRow& r : rows) os << summary_line(r);
  for (const std::string& w : meta.warnings) os << "  warning        " << w << '\n';
  std::snprintf(line, sizeof line, "  events         %llu in total (%.2f M events/s), wall %.3f s\n",
                static_cast<unsigned long long>(meta.events),
                meta.wall_seconds > 0 ? 1e-6 * static_cast<double>(meta.events) / meta.wall_seconds : 0.0,
                meta.wall_seconds);
  os << line;
}

} // namespace sim::runner
