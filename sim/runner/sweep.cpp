#include "sim/runner/sweep.hpp"

#include "sim/base/sha256.hpp"
#include "sim/engine/random.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/runner/parallel.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/sweep_mpi.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

namespace sim::runner {

namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

} // namespace

namespace {

// --- byte encoding -------------------------------------------------------------------------

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}
void put_double(std::string& out, double v) { put_u64(out, std::bit_cast<std::uint64_t>(v)); }
void put_string(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

class Decoder {
public:
  explicit Decoder(std::string_view b) : b_(b) {}
  std::uint64_t u64() {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(b_[pos_ + static_cast<std::size_t>(i)])} << (8 * i);
    pos_ += 8;
    return v;
  }
  double f64() { return std::bit_cast<double>(u64()); }
  std::string str() {
    const std::uint64_t n = u64();
    need(n);
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool done() const { return pos_ == b_.size(); }

private:
  void need(std::uint64_t n) const {
    if (n > b_.size() - pos_) throw std::runtime_error("sweep task result: truncated message");
  }
  std::string_view b_;
  std::size_t pos_ = 0;
};

// --- the output directory --------------------------------------------------------------------

constexpr const char* incomplete_marker = "INCOMPLETE";

std::string point_dir_name(std::uint64_t point) {
  char name[32];
  std::snprintf(name, sizeof name, "point-%03llu", static_cast<unsigned long long>(point + 1));
  return name;
}

/// A CSV file of the sweep directory, through the strict reader (metrics::read_csv_file).
metrics::CsvTable read_csv(const std::filesystem::path& p) {
  try {
    return metrics::read_csv_file(p);
  } catch (const metrics::CsvFileError& e) {
    throw SweepInputError(std::string("--resume: ") + e.what());
  }
}

/// meta.csv's rows that identify a sweep (a resume must match them all), in file order.
std::vector<std::pair<std::string, std::string>> identity(const SweepPlan& plan, const SweepOptions& options,
                                                          const std::string& scenario_name) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("lunsim_version", options.build.version);
  rows.emplace_back("git_revision", options.build.git_revision);
  rows.emplace_back("csv_schema", std::to_string(csv_schema));
  rows.emplace_back("scenario_name", scenario_name);
  rows.emplace_back("scenario_sha256", base::sha256_hex(plan.text));
  rows.emplace_back("seed", plan.base.seed ? std::to_string(*plan.base.seed) : std::string("scenario"));
  rows.emplace_back("seeds", plan.independent ? "independent" : "common");
  rows.emplace_back("replications", std::to_string(plan.replications));
  rows.emplace_back("keep_runs", options.keep_runs ? "true" : "false");
  for (const GridAxis& a : plan.axes) {
    std::string v = a.path + "=";
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      if (i > 0) v += ',';
      metrics::append_csv_field(v, a.values[i]);
    }
    rows.emplace_back(a.from_section ? "grid_section" : "grid", v);
  }
  for (const std::string& s : options.sets) rows.emplace_back("set", s);
  rows.emplace_back("points", std::to_string(plan.points()));
  return rows;
}

/// meta.csv of a sweep; an interrupted one (points_sha256 set) also records the SHA-256 of its
/// points.csv, which --resume checks so that an edited points.csv (rows deleted or changed) is
/// refused rather than trusted.
void write_sweep_meta(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& id,
                      const std::string& scenario_file, std::uint64_t done, const std::optional<std::string>& points_sha256) {
  metrics::CsvWriter w(out);
  w.header({"key", "value"});
  for (const auto& [k, v] : id) {
    w.row(k, v);
    if (k == "scenario_name") w.row("scenario_file", scenario_file);
  }
  w.row("points_done", done);
  if (points_sha256) w.row("points_sha256", *points_sha256);
  w.row("status", points_sha256 ? "incomplete" : "complete");
}

/// The SHA-256 of a file's bytes (points.csv, for --resume).
std::string file_sha256(const std::filesystem::path& p) {
  auto text = metrics::read_regular_file(p, std::uintmax_t{1} << 30);
  if (!text) throw SweepInputError("--resume: cannot read " + p.string() + ": " + text.error().reason);
  return base::sha256_hex(*text);
}

/// The column names of points.csv.
std::vector<std::string> points_header(const SweepPlan& plan) {
  std::vector<std::string> h{"point", "point_seed"};
  for (const GridAxis& a : plan.axes) h.push_back(a.path);
  for (const char* c : {"metric", "unit", "better", "n", "mean", "ci95_low", "ci95_high", "se"}) h.emplace_back(c);
  return h;
}

/// sweep.csv from points.csv: one row per point; per metric (in order of first appearance, a
/// metric first seen later placed after the metric preceding it there) its mean, ci95_low and
/// ci95_high; empty cells where a point lacks a metric.
void write_wide(const metrics::CsvTable& points, std::size_t axes, std::ostream& out) {
  const std::size_t metric_col = 2 + axes;
  std::vector<std::string> metrics_order;
  std::vector<std::vector<std::size_t>> by_point;  // row indexes per point, in order
  std::string current;
  std::size_t next = 0;
  for (std::size_t i = 0; i < points.rows.size(); ++i) {
    const auto& row = points.rows[i];
    if (by_point.empty() || row[0] != current) {
      by_point.emplace_back();
      current = row[0];
      next = 0;
    }
    by_point.back().push_back(i);
    const std::string& m = row[metric_col];
    auto it = std::find(metrics_order.begin(), metrics_order.end(), m);
    if (it == metrics_order.end()) it = metrics_order.insert(metrics_order.begin() + static_cast<std::ptrdiff_t>(next), m);
    next = static_cast<std::size_t>(it - metrics_order.begin()) + 1;
  }
  std::vector<std::string> header(points.header.begin(), points.header.begin() + static_cast<std::ptrdiff_t>(metric_col));
  for (const std::string& m : metrics_order)
    for (const char* s : {".mean", ".ci95_low", ".ci95_high"}) header.push_back(m + s);
  metrics::CsvWriter w(out);
  w.header(header);
  for (const auto& rows : by_point) {
    const auto& first = points.rows[rows.front()];
    for (std::size_t c = 0; c < metric_col; ++c) w.field(first[c]);
    std::map<std::string, const std::vector<std::string>*> of;
    for (const std::size_t i : rows) of[points.rows[i][metric_col]] = &points.rows[i];
    for (const std::string& m : metrics_order) {
      const auto it = of.find(m);
      for (std::size_t c = metric_col + 4; c < metric_col + 7; ++c) {
        if (it == of.end()) w.empty();
        else w.field((*it->second)[c]);
      }
    }
    w.end_row();
  }
}

/// Per-point run directory (keep_runs): what `lunsim run --replications N --summary-only`
/// writes, fed replication by replication.
struct PointRun {
  std::optional<metrics::RunDirectory> dir;
  std::optional<ReplicationAggregate> aggregate;  // writes into *dir: destroyed first
};

struct Stop {};  // thrown by the consumer to end the farm after an interrupt

/// A Replicator for one point's spec, reused by the tasks of that point.
struct Model {
  std::uint64_t point = 0;
  std::shared_ptr<const scenario::ScenarioSpec> spec;
  std::unique_ptr<Replicator> replicator;
};

} // namespace

// --- grid ------------------------------------------------------------------------------------

base::Result<GridAxis, std::string> parse_grid_option(std::string_view text) {
  const auto eq = scenario::path_end(text);
  if (eq == std::string_view::npos) return std::string("expected path=v1,v2,... (e.g. repair.replace_after=8h,24h)");
  GridAxis axis;
  axis.path = trim(text.substr(0, eq));
  if (axis.path.empty()) return std::string("empty path before '='");
  if (const auto parts = scenario::split_path(axis.path); !parts)
    return "path '" + axis.path + "': " + parts.error().message;
  const std::string_view values = text.substr(eq + 1);
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  std::set<std::string> seen;
  auto take = [&](std::size_t end) -> std::optional<std::string> {
    std::string v = trim(values.substr(start, end - start));
    if (v.empty()) return std::string("empty value (values are separated by commas: path=v1,v2)");
    if (!seen.insert(v).second) return "value '" + v + "' listed twice";
    axis.values.push_back(std::move(v));
    start = end + 1;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    const char c = values[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (--depth < 0) return "unbalanced '" + std::string(1, c) + "' in the values";
    } else if (c == ',' && depth == 0) {
      if (auto e = take(i)) return *e;
    }
  }
  if (quote != 0) return std::string("a quoted value never ends");
  if (depth != 0) return std::string("a '{' or '[' is never closed in the values");
  if (auto e = take(values.size())) return *e;
  return axis;
}

std::uint64_t independent_seed(std::uint64_t seed, std::uint64_t point) {
  return engine::RandomStream(seed, point, "sweep/point").next();
}

std::uint64_t SweepPlan::points() const {
  std::uint64_t n = 1;
  for (const GridAxis& a : axes) n *= a.values.size();
  return n;
}

std::vector<std::size_t> SweepPlan::coordinates(std::uint64_t point) const {
  std::vector<std::size_t> c(axes.size());
  for (std::size_t k = axes.size(); k-- > 0;) {
    c[k] = static_cast<std::size_t>(point % axes[k].values.size());
    point /= axes[k].values.size();
  }
  return c;
}

scenario::LoadOptions SweepPlan::point_options(std::uint64_t point) const {
  scenario::LoadOptions o = base;
  const std::vector<std::size_t> c = coordinates(point);
  for (std::size_t k = 0; k < axes.size(); ++k) {
    if (k < section_axes) o.sweep_point.push_back(c[k]);
    else o.sets.push_back(scenario::Override{axes[k].path + "=" + axes[k].values[c[k]], "--grid"});
  }
  return o;
}

scenario::LoadResult SweepPlan::load_point(std::uint64_t point) const {
  scenario::LoadResult r = scenario::load_scenario(text, file, point_options(point));
  if (r.spec && independent) r.spec->seed = independent_seed(r.spec->seed, point);
  return r;
}

// --- tasks -----------------------------------------------------------------------------------

TaskResult run_task(Replicator& model, std::uint64_t replication, bool keep_runs) {
  RunOptions options;
  options.replication = replication;
  options.events = false;
  options.tables = false;
  Replication rep = run_replication(model, options, ReplicationOptions{keep_runs, false});
  TaskResult t;
  t.means.reserve(rep.summary.size());
  for (const SummaryRow& row : rep.summary) t.means.push_back(MetricMean{row.metric, row.unit, row.better, row.stats.mean});
  t.reliability = rep.reliability;
  t.seed = rep.seed;
  t.meta = rep.meta;
  if (keep_runs) t.kept = std::move(rep);
  return t;
}

std::string encode(const TaskResult& r) {
  std::string out;
  put_u64(out, r.means.size());
  for (const MetricMean& m : r.means) {
    put_string(out, m.metric);
    put_string(out, m.unit);
    put_string(out, m.better);
    put_double(out, m.mean);
  }
  const ReliabilityRecord& x = r.reliability;
  put_u64(out, x.enabled ? 1 : 0);
  for (const std::uint64_t v : {x.groups, x.groups_with_loss, x.losses, x.sector_losses, x.drive_failures,
                                x.replacements, x.rebuilds_started, x.rebuilds_completed, x.latent_errors, x.bytes_lost,
                                x.usable_bytes})
    put_u64(out, v);
  put_u64(out, static_cast<std::uint64_t>(base::since_start(x.first_loss).count()));
  put_double(out, x.group_hours);
  put_double(out, x.degraded_hours);
  put_u64(out, x.weighted ? 1 : 0);
  for (const double v : {x.weight, x.weighted_loss, x.weighted_groups_with_loss, x.weighted_losses, x.weighted_bytes_lost})
    put_double(out, v);
  put_u64(out, r.seed);
  put_u64(out, r.meta.events);
  put_u64(out, r.meta.fingerprint);
  put_u64(out, r.skipped ? 1 : 0);
  return out;
}

TaskResult decode(std::string_view bytes) {
  Decoder d(bytes);
  TaskResult r;
  const std::uint64_t n = d.u64();
  if (n > bytes.size()) throw std::runtime_error("sweep task result: bad metric count");
  r.means.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    MetricMean m;
    m.metric = d.str();
    m.unit = d.str();
    m.better = d.str();
    m.mean = d.f64();
    r.means.push_back(std::move(m));
  }
  ReliabilityRecord& x = r.reliability;
  x.enabled = d.u64() != 0;
  for (std::uint64_t* v : {&x.groups, &x.groups_with_loss, &x.losses, &x.sector_losses, &x.drive_failures,
                           &x.replacements, &x.rebuilds_started, &x.rebuilds_completed, &x.latent_errors, &x.bytes_lost,
                           &x.usable_bytes})
    *v = d.u64();
  x.first_loss = base::at(base::Duration{static_cast<std::int64_t>(d.u64())});
  x.group_hours = d.f64();
  x.degraded_hours = d.f64();
  x.weighted = d.u64() != 0;
  for (double* v : {&x.weight, &x.weighted_loss, &x.weighted_groups_with_loss, &x.weighted_losses, &x.weighted_bytes_lost})
    *v = d.f64();
  r.seed = d.u64();
  r.meta.events = d.u64();
  r.meta.fingerprint = d.u64();
  r.skipped = d.u64() != 0;
  if (!d.done()) throw std::runtime_error("sweep task result: trailing bytes");
  return r;
}

// --- statistics of a point -------------------------------------------------------------------

void PointAccumulator::add(const TaskResult& r) {
  std::size_t next = 0;
  for (const MetricMean& m : r.means) {
    std::size_t i = 0;
    while (i < entries_.size() && entries_[i].metric != m.metric) ++i;
    if (i == entries_.size()) {
      entries_.insert(entries_.begin() + static_cast<std::ptrdiff_t>(next), Entry{m.metric, m.unit, m.better, {}});
      i = next;
    }
    entries_[i].stats.add(m.mean);
    next = i + 1;
  }
  ++replications_;
  reliability_.add(r.reliability);
}

std::vector<PointRow> PointAccumulator::rows() const {
  std::vector<PointRow> out;
  for (const Entry& e : entries_) out.push_back(PointRow{e.metric, e.unit, e.better, e.stats.n(), e.stats.mean(), e.stats.ci95()});
  for (const SummaryRow& r : reliability_.rows())
    out.push_back(PointRow{r.metric, r.unit, r.better, r.stats.n, r.stats.mean, r.ci95, r.se});
  return out;
}

// --- the sweep -------------------------------------------------------------------------------

SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options, std::ostream& err, MpiSession* mpi) {
  const bool coordinator = mpi == nullptr || mpi->rank() == 0;
  const std::uint64_t points = plan.points();
  const std::uint64_t n_reps = plan.replications;
  SweepOutcome outcome;
  outcome.points = points;
  outcome.directory = options.output;

  // Rank 0 (or the only process) prepares the output: a fresh temporary directory, or for
  // --resume one seeded with the interrupted sweep's finished points.
  std::optional<metrics::RunDirectory> dir;
  std::ostream* points_out = nullptr;
  std::optional<metrics::CsvWriter> points_csv;
  std::vector<std::pair<std::string, std::string>> id;
  std::uint64_t first_todo = 0;
  std::string scenario_name;
  std::string error;
  if (coordinator) {
    try {
      const scenario::LoadResult p0 = plan.load_point(0);
      if (!p0.spec) throw SweepInputError("point 0 does not load");
      scenario_name = p0.spec->name;
      id = identity(plan, options, scenario_name);
      const std::filesystem::path final_dir = options.output;
      std::optional<metrics::CsvTable> old_points;
      if (options.resume) {
        if (!std::filesystem::is_directory(final_dir))
          throw SweepInputError("--resume: " + final_dir.string() + " is not a directory");
        if (!std::filesystem::exists(final_dir / "meta.csv") || !std::filesystem::exists(final_dir / "points.csv"))
          throw SweepInputError("--resume: " + final_dir.string() + " is not a sweep directory (no meta.csv and points.csv)");
        const metrics::CsvTable meta = read_csv(final_dir / "meta.csv");
        std::vector<std::pair<std::string, std::string>> old_id;
        std::string status, digest, done;
        for (std::size_t i = 0; i < meta.rows.size(); ++i) {
          const std::string& k = meta.at(i, "key");
          const std::string& v = meta.at(i, "value");
          if (k == "status") status = v;
          else if (k == "points_sha256") digest = v;
          else if (k == "points_done") done = v;
          else if (k != "scenario_file") old_id.emplace_back(k, v);
        }
        if (status == "complete" || !std::filesystem::exists(final_dir / incomplete_marker))
          throw SweepInputError("--resume: " + final_dir.string() + " holds a complete sweep (nothing to resume)");
        if (status != "incomplete") throw SweepInputError("--resume: " + final_dir.string() + " is not a sweep directory (meta.csv has no sweep status)");
        for (std::size_t i = 0; i < std::max(old_id.size(), id.size()); ++i) {
          const std::string key = i < id.size() ? id[i].first : old_id[i].first;
          const std::string was = i < old_id.size() ? old_id[i].second : std::string("(absent)");
          const std::string now = i < id.size() ? id[i].second : std::string("(absent)");
          if (i >= old_id.size() || i >= id.size() || old_id[i].first != id[i].first || was != now)
            throw SweepInputError("--resume: this sweep differs from the interrupted one in " + key + ": '" + now +
                                  "', was '" + was + "' (resume with the same scenario, options and build)");
        }
        // points.csv must be what the interrupted sweep wrote, byte for byte.
        if (digest.empty())
          throw SweepInputError("--resume: " + (final_dir / "meta.csv").string() +
                                " has no points_sha256 (a sweep interrupted by an older lunsim: run it again)");
        if (file_sha256(final_dir / "points.csv") != digest)
          throw SweepInputError("--resume: " + (final_dir / "points.csv").string() +
                                " was changed after the sweep was interrupted (its SHA-256 is not meta.csv's "
                                "points_sha256): run the sweep again");
        old_points = read_csv(final_dir / "points.csv");
        if (old_points->header != points_header(plan))
          throw SweepInputError("--resume: " + (final_dir / "points.csv").string() + " has another header");
        // Finished points are a prefix 0..k-1 (points finish in order).
        std::uint64_t expect = 0;
        for (const auto& row : old_points->rows) {
          if (row[0] == std::to_string(expect)) ++expect;
          else if (expect == 0 || row[0] != std::to_string(expect - 1))
            throw SweepInputError("--resume: " + (final_dir / "points.csv").string() + " is not in point order");
        }
        if (done != std::to_string(expect))
          throw SweepInputError("--resume: " + (final_dir / "points.csv").string() + " holds " + std::to_string(expect) +
                                " finished points, meta.csv's points_done says " + done);
        first_todo = expect;
        // The resumed sweep is written aside and swapped in at the end.
        dir.emplace(metrics::RunDirectory::create_exact(final_dir.parent_path() /
                                                        ("." + final_dir.filename().string() + ".resume-" + std::to_string(getpid()))));
        if (options.keep_runs)
          for (std::uint64_t p = 0; p < first_todo; ++p) {
            const auto from = final_dir / point_dir_name(p);
            if (std::filesystem::is_directory(from))
              std::filesystem::copy(from, dir->path() / point_dir_name(p),
                                    std::filesystem::copy_options::recursive | std::filesystem::copy_options::create_hard_links);
          }
      } else {
        try {
          dir.emplace(metrics::RunDirectory::create_exact(final_dir));
        } catch (const std::runtime_error& e) {
          throw SweepInputError(e.what());
        }
      }
      points_out = &dir->open("points.csv");
      points_csv.emplace(*points_out);
      points_csv->header(points_header(plan));
      if (old_points)
        for (const auto& row : old_points->rows) {
          for (const auto& f : row) points_csv->field(f);
          points_csv->end_row();
        }
      points_out->flush();
    } catch (const SweepInputError& e) {
      error = e.what();
    } catch (const metrics::CsvParseError& e) {
      error = std::string("--resume: malformed CSV in ") + options.output.string() + ": " + e.what();
    } catch (const std::out_of_range&) {
      error = "--resume: " + options.output.string() + "/meta.csv lacks the key and value columns";
    }
  }
  // Every rank learns where to start (or that rank 0 met bad input).
  std::vector<std::uint64_t> start{error.empty() ? 0u : 1u, first_todo};
  if (mpi != nullptr) mpi->broadcast(start);
  if (start[0] != 0) throw SweepInputError(coordinator ? error : std::string("bad input (reported by rank 0)"));
  first_todo = start[1];
  outcome.points_done = first_todo;

  const std::uint64_t todo = points - first_todo;
  const std::uint64_t tasks = todo * n_reps;

  // Workers: one Replicator per point in use, reused by that point's tasks.
  std::mutex models_mu;
  std::vector<Model> models;
  const unsigned threads = std::max(1u, options.threads);
  auto work = [&](std::uint64_t t) -> TaskResult {
    if (interrupt_requested()) {
      TaskResult skipped;
      skipped.skipped = true;
      return skipped;
    }
    const std::uint64_t point = first_todo + t / n_reps;
    Model m;
    {
      std::lock_guard lock(models_mu);
      auto it = std::find_if(models.begin(), models.end(), [&](const Model& x) { return x.point == point; });
      if (it != models.end()) {
        m = std::move(*it);
        models.erase(it);
      }
    }
    if (!m.replicator) {
      scenario::LoadResult r = plan.load_point(point);
      if (!r.spec) throw std::runtime_error("sweep point " + std::to_string(point) + " no longer loads");
      m.point = point;
      m.spec = std::make_shared<const scenario::ScenarioSpec>(std::move(*r.spec));
      m.replicator = std::make_unique<Replicator>(*m.spec);
    }
    TaskResult result = run_task(*m.replicator, t % n_reps, options.keep_runs);
    {
      std::lock_guard lock(models_mu);
      // Keep at most one model per thread: drop those of points before this one first.
      std::erase_if(models, [&](const Model& x) { return x.point < point; });
      if (models.size() < threads) models.push_back(std::move(m));
    }
    return result;
  };

  // The consumer (rank 0's main thread): results in (point, replication) order.
  Progress progress(err, tasks, "tasks", coordinator && options.progress);
  PointAccumulator acc;
  std::optional<PointRun> run;
  std::shared_ptr<const scenario::ScenarioSpec> point_spec;
  std::uint64_t finished_here = 0;
  auto consume = [&](std::uint64_t t, TaskResult&& r) {
    const std::uint64_t point = first_todo + t / n_reps;
    const std::uint64_t rep = t % n_reps;
    if (r.skipped || (rep == 0 && interrupt_requested())) throw Stop{};
    if (rep == 0) {
      acc = PointAccumulator{};
      scenario::LoadResult lr = plan.load_point(point);
      if (!lr.spec) throw std::runtime_error("sweep point " + std::to_string(point) + " no longer loads");
      point_spec = std::make_shared<const scenario::ScenarioSpec>(std::move(*lr.spec));
      if (options.keep_runs) {
        run.emplace();
        run->dir.emplace(metrics::RunDirectory::create_exact(dir->path() / point_dir_name(point)));
        run->aggregate.emplace(*run->dir, *point_spec, n_reps);
      }
    }
    acc.add(r);
    if (run) run->aggregate->add(std::move(r.kept.value()));  // as `lunsim run --replications N`
    progress.update(t + 1);
    if (rep + 1 < n_reps) return;
    // The point is finished: its rows go to points.csv at once.
    const std::vector<std::size_t> c = plan.coordinates(point);
    for (const PointRow& row : acc.rows()) {
      points_csv->field(point).field(point_spec->seed);
      for (std::size_t k = 0; k < plan.axes.size(); ++k) points_csv->field(plan.axes[k].values[c[k]]);
      points_csv->field(row.metric).field(row.unit).field(row.better).field(row.n).field(row.mean);
      points_csv->field(row.ci95.low).field(row.ci95.high).field(row.se);
      points_csv->end_row();
    }
    points_out->flush();
    if (run) {
      run->aggregate->finish(options.build);
      run->aggregate.reset();
      run->dir->commit();
      run.reset();
    }
    ++outcome.points_done;
    ++finished_here;
    outcome.tasks_run += n_reps;
    if (options.interrupt_after && finished_here >= *options.interrupt_after) request_interrupt();
  };

  bool interrupted = false;
  // Results that may wait for an earlier task (each ~1.5 KB). Over MPI it must cover what the
  // worker ranks hold queued (sweep_mpi.hpp: 12 tasks with one thread, 4 per thread otherwise)
  // plus rank 0's own, or rank 0 stops handing out tasks behind the oldest one.
  const std::uint64_t ranks = mpi ? static_cast<std::uint64_t>(mpi->size()) : 1;
  const std::uint64_t window = (ranks > 1 ? 16ull : 4ull) * threads * ranks + 2ull * threads;
  try {
    if (mpi != nullptr && mpi->size() > 1) {
      mpi->farm(tasks, threads, window, [&](std::uint64_t t) { return encode(work(t)); },
                [&](std::uint64_t t, std::string&& bytes) { consume(t, decode(bytes)); });
    } else {
      ordered_parallel(tasks, static_cast<unsigned>(std::min<std::uint64_t>(threads, std::max<std::uint64_t>(tasks, 1))),
                       window, work, consume);
    }
  } catch (const Stop&) {
    interrupted = true;
  }
  progress.finish();
  if (!coordinator) {
    outcome.complete = !interrupted;
    return outcome;
  }
  run.reset();  // an unfinished point's directory is removed
  outcome.complete = outcome.points_done == points;
  points_out->flush();
  {
    std::optional<std::string> digest;
    if (!outcome.complete) digest = file_sha256(dir->path() / "points.csv");
    std::ostream& meta = dir->open("meta.csv");
    write_sweep_meta(meta, id, plan.file, outcome.points_done, digest);
  }
  if (outcome.complete) {
    const metrics::CsvTable table = metrics::read_csv_file(dir->path() / "points.csv");
    write_wide(table, plan.axes.size(), dir->open("sweep.csv"));
  } else {
    std::ostream& marker = dir->open(incomplete_marker);
    marker << "This sweep was interrupted after " << outcome.points_done << " of " << points
           << " points; points.csv holds the finished ones and sweep.csv is written when it completes.\n"
           << "Continue it with the same command and --resume.\n";
  }
  dir->commit();
  if (options.resume) {
    // Swap the resumed directory in for the interrupted one.
    const std::filesystem::path final_dir = options.output;
    const std::filesystem::path old = final_dir.parent_path() / ("." + final_dir.filename().string() + ".old-" + std::to_string(getpid()));
    std::filesystem::rename(final_dir, old);
    std::filesystem::rename(dir->final_path(), final_dir);
    std::error_code ignored;
    std::filesystem::remove_all(old, ignored);
  }
  return outcome;
}

} // namespace sim::runner
