#include "sim/cli/commands.hpp"

#include "reports/compare.hpp"

#include "sim/runner/sweep.hpp"
#include "sim/runner/sweep_mpi.hpp"
#include "sim/scenario/loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

namespace sim::cli {

namespace {

/// The `name=value, ...` of a point, for messages.
std::string describe_point(const runner::SweepPlan& plan, std::uint64_t point) {
  const std::vector<std::size_t> c = plan.coordinates(point);
  std::string s;
  for (std::size_t k = 0; k < plan.axes.size(); ++k) {
    if (k > 0) s += ", ";
    s += plan.axes[k].path + "=" + plan.axes[k].values[c[k]];
  }
  return s;
}

/// A value for the table: four significant digits, scientific where fixed digits lose it.
std::string cell(double v) {
  if (std::isnan(v)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

/// The points as a table: the grid values, then for up to four headline metrics (reliability
/// first, then response times, then the first metrics) the mean and its 95 % interval. At most
/// 40 points are listed; sweep.csv has them all.
void print_points(std::ostream& o, const reports::SweepData& sweep) {
  if (sweep.points.empty()) return;
  static const char* const preferred[] = {"reliability.p_loss", "reliability.mttdl", "reliability.nomdl",
                                          "io.read.response", "io.write.response", "op.create_lun.latency",
                                          "io.throughput"};
  const auto& first = sweep.points.front();
  std::vector<std::string> shown;
  for (const char* m : preferred)
    if (shown.size() < 4 && first.rows.count(m)) shown.emplace_back(m);
  for (const std::string& m : first.order)
    if (shown.size() < 4 && std::find(shown.begin(), shown.end(), m) == shown.end()) shown.push_back(m);
  std::vector<std::string> header{"point"};
  header.insert(header.end(), sweep.axes.begin(), sweep.axes.end());
  for (const std::string& m : shown) header.push_back(m + " (" + first.rows.at(m).unit + ")");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t p = 0; p < sweep.points.size() && p < 40; ++p) {
    const auto& pt = sweep.points[p];
    std::vector<std::string> row{std::to_string(p)};
    row.insert(row.end(), pt.values.begin(), pt.values.end());
    for (const std::string& m : shown) {
      const auto it = pt.rows.find(m);
      const auto ci = pt.ci95.find(m);
      if (it == pt.rows.end()) {
        row.emplace_back("");
        continue;
      }
      std::string text = cell(it->second.mean);
      if (ci != pt.ci95.end() && !std::isnan(ci->second.first) && !std::isnan(ci->second.second))
        text += " [" + cell(ci->second.first) + ", " + cell(ci->second.second) + "]";
      row.push_back(text);
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  auto line = [&](const std::vector<std::string>& row) {
    std::string text = " ";
    for (std::size_t c = 0; c < row.size(); ++c)
      text += " " + row[c] + std::string(width[c] - row[c].size() + (c + 1 < row.size() ? 1 : 0), ' ');
    while (!text.empty() && text.back() == ' ') text.pop_back();
    o << text << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
  if (sweep.points.size() > rows.size())
    o << "  ... " << sweep.points.size() - rows.size() << " more point(s) in sweep.csv\n";
  o << "  (mean of the replication means [95 % interval])\n";
}

/// The path of a `--set path=value` text.
std::string set_path(const std::string& text) { return text.substr(0, scenario::path_end(text)); }

} // namespace

int sweep_command(const SweepArgs& args, std::ostream& out, std::ostream& err) {
  // MPI only for a sweep an MPI launcher started, and only in a build with MPI.
  std::unique_ptr<runner::MpiSession> mpi;
  if (runner::launched_by_mpi()) {
    if (runner::mpi_built()) {
      mpi = std::make_unique<runner::MpiSession>();
    } else {
      const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
      if (size == nullptr) size = std::getenv("PMI_SIZE");
      if (size != nullptr && std::string(size) != "1") {
        err << "lunsim: error: sweep: started by an MPI launcher with " << size
            << " ranks, but this lunsim was built without MPI (configure with -DLUNSIM_MPI=ON and libopenmpi-dev); "
               "run it without mpirun, on threads (-j)\n";
        return exit_bad_input;
      }
    }
  }
  const bool rank0 = !mpi || mpi->rank() == 0;
  std::ostringstream discard;
  std::ostream& e = rank0 ? err : discard;
  std::ostream& o = rank0 ? out : discard;

  const std::string file = *args.scenario.file;
  auto read = scenario::read_scenario_file(file);
  if (!read) {
    e << file << ": error: cannot read the scenario file: " << read.error().reason << "\n1 error\n";
    return exit_bad_input;
  }
  const std::string text = std::move(read.value());
  runner::SweepPlan plan;
  plan.file = file;
  plan.text = text;
  plan.base.seed = args.scenario.seed;
  for (const auto& s : args.scenario.sets) plan.base.sets.push_back(scenario::Override{s});
  const scenario::LoadResult base = scenario::load_scenario(text, file, plan.base);
  if (!scenario::print_diagnostics(base, e)) return exit_bad_input;
  {
    // Each worker thread holds one point's model at a time (no per-run tables).
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    if (!fits_memory(*base.spec, args.scenario, {2, args.threads == 0 ? hw : args.threads, false}, e)) return exit_bad_input;
  }

  // The grid: the section's axes, then --grid's.
  std::set<std::string> paths;
  if (base.spec->sweep)
    for (const scenario::SweepAxis& a : base.spec->sweep->axes) {
      plan.axes.push_back(runner::GridAxis{a.path, a.values, true});
      paths.insert(a.path);
    }
  plan.section_axes = plan.axes.size();
  for (const std::string& g : args.grid) {
    auto axis = runner::parse_grid_option(g);
    if (!axis) {
      e << "lunsim: error: --grid '" << g << "': " << axis.error() << '\n';
      return exit_bad_input;
    }
    if (!paths.insert(axis->path).second) {
      e << "lunsim: error: --grid '" << g << "': path '" << axis->path << "' is already a grid axis"
        << (base.spec->sweep && std::any_of(base.spec->sweep->axes.begin(), base.spec->sweep->axes.end(),
                                             [&](const auto& a) { return a.path == axis->path; })
                ? " (in the scenario's sweep: section)"
                : " (given twice)")
        << '\n';
      return exit_bad_input;
    }
    plan.axes.push_back(axis.value());
  }
  if (plan.axes.empty()) {
    e << "lunsim: error: sweep: no grid (give --grid path=v1,v2,... or a sweep: grid: section in the scenario)\n";
    return exit_bad_input;
  }
  for (const std::string& s : args.scenario.sets)
    if (paths.contains(set_path(s))) {
      e << "lunsim: error: --set '" << s << "': path '" << set_path(s) << "' is a grid axis (a grid value would replace it)\n";
      return exit_bad_input;
    }
  std::uint64_t points = 1;
  for (const runner::GridAxis& a : plan.axes) {
    points *= a.values.size();
    if (points > max_sweep_points) {
      e << "lunsim: error: sweep: the grid has more than " << max_sweep_points << " points\n";
      return exit_bad_input;
    }
  }
  if (args.replications) plan.replications = *args.replications;
  else if (base.spec->sweep && base.spec->sweep->replications) plan.replications = *base.spec->sweep->replications;
  else {
    e << "lunsim: error: sweep: needs --replications N (1 to " << max_replications
      << ") or replications: in the scenario's sweep: section\n";
    return exit_bad_input;
  }
  plan.independent = args.independent || (base.spec->sweep && base.spec->sweep->independent.value_or(false));
  if (args.keep_runs && mpi && mpi->size() > 1) {
    e << "lunsim: error: --keep-runs is not available under MPI (each point's run directory would need every "
         "replication's samples on rank 0); run it on threads, or without --keep-runs\n";
    return exit_bad_input;
  }

  // Every point must load before anything runs.
  {
    std::set<std::string> said;
    std::uint64_t bad = 0;
    for (std::uint64_t p = 0; p < points; ++p) {
      const scenario::LoadResult r = plan.load_point(p);
      if (r.spec) continue;
      if (++bad > 10) continue;
      std::vector<std::string> fresh;
      for (const auto& d : r.diagnostics)
        if (said.insert(d.format()).second) fresh.push_back(d.format());
      e << "lunsim: error: grid point " << p << " (" << describe_point(plan, p) << ") does not load"
        << (fresh.empty() ? " (as above)" : ":") << '\n';
      for (const auto& f : fresh) e << f << '\n';
    }
    if (bad > 0) {
      if (bad > 10) e << "... and " << bad - 10 << " more grid points that do not load\n";
      e << bad << " of " << points << " grid points do not load\n";
      return exit_bad_input;
    }
  }

  runner::SweepOptions options;
  // "DIR/" names DIR: without the separator, its parent and name are what --resume renames.
  options.output = args.output;
  while (!options.output.has_filename() && options.output.has_parent_path() && options.output != options.output.root_path())
    options.output = options.output.parent_path();
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  options.threads = args.threads != 0 ? args.threads : (mpi && mpi->size() > 1 ? 1u : hw);
  options.keep_runs = args.keep_runs;
  options.resume = args.resume;
  options.progress = rank0 && !args.quiet && isatty(fileno(stderr)) != 0;
  options.build = runner::BuildInfo{LUNSIM_VERSION, LUNSIM_GIT_REVISION};
  options.sets = args.scenario.sets;
  options.interrupt_after = args.interrupt_after;

  runner::clear_interrupt();
  runner::SweepOutcome outcome;
  try {
    runner::InterruptGuard guard;
    outcome = runner::run_sweep(plan, options, e, mpi.get());
  } catch (const runner::SweepInputError& x) {
    e << "lunsim: error: " << x.what() << '\n';
    return exit_bad_input;
  }
  if (!outcome.complete) {
    e << "lunsim: interrupted: " << outcome.points_done << " of " << outcome.points << " grid points finished; "
      << args.output << " is marked incomplete (continue with the same command and --resume)\n";
    return exit_interrupted;
  }
  if (!args.quiet) {
    o << "sweep " << base.spec->name << ": " << points << " grid point(s) x " << plan.replications
      << " replication(s), " << (plan.independent ? "independent" : "common") << " seeds, " << options.threads
      << " thread(s)" << (mpi && mpi->size() > 1 ? " on each of " + std::to_string(mpi->size()) + " MPI ranks" : std::string())
      << '\n';
    if (args.resume) o << "  resumed        " << outcome.tasks_run / plan.replications << " point(s) run now\n";
    try {
      print_points(o, reports::read_sweep(args.output));
    } catch (const reports::InputError& x) {
      e << "lunsim: warning: cannot show the points: " << x.what() << '\n';
    }
    o << "  output         " << args.output << "/sweep.csv\n";
  }
  return exit_ok;
}

} // namespace sim::cli
