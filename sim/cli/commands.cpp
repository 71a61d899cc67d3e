#include "sim/cli/commands.hpp"

#include "sim/cli/embedded_scenario.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/runner/outputs.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <sys/resource.h>

#include <exception>
#include <ostream>

namespace sim::cli {

namespace {

scenario::LoadResult load(const ScenarioArgs& args) {
  scenario::LoadOptions options;
  options.seed = args.seed;
  for (const auto& s : args.sets) options.sets.push_back(scenario::Override{s});
  if (args.file) return scenario::load_scenario_file(*args.file, options);
  return scenario::load_scenario(embedded_scenario(), std::string(embedded_scenario_name), options);
}

bool report(const scenario::LoadResult& r, std::ostream& err) {
  for (const auto& d : r.diagnostics) err << d.format() << '\n';
  if (!r.spec) {
    std::size_t errors = 0;
    for (const auto& d : r.diagnostics) errors += d.severity == base::Severity::Error ? 1 : 0;
    err << errors << (errors == 1 ? " error" : " errors") << '\n';
    return false;
  }
  return true;
}

} // namespace

std::string version_string() { return std::string("lunsim ") + LUNSIM_VERSION + " (" + LUNSIM_GIT_REVISION + ")"; }

int validate_command(const ScenarioArgs& args, std::ostream& out, std::ostream& err) {
  const scenario::LoadResult r = load(args);
  if (!report(r, err)) return exit_bad_input;
  out << r.spec->file << ": ok (" << r.spec->subsystems.size() << " subsystem(s), " << r.spec->ops.size()
      << " operation(s), " << r.spec->io.size() << " load(s))\n";
  return exit_ok;
}

int run_command(const RunArgs& args, std::ostream& out, std::ostream& err) {
  const scenario::LoadResult r = load(args.scenario);
  if (!report(r, err)) return exit_bad_input;
  const scenario::ScenarioSpec& spec = *r.spec;

  std::optional<metrics::RunDirectory> dir;
  try {
    dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                            : metrics::RunDirectory::create_numbered("runs", spec.name));
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }

  runner::RunOptions options;
  options.trace = args.trace;
  const runner::RunResult result = runner::run_scenario(spec, options);
  const std::vector<runner::SummaryRow> summary = runner::summarize(result);
  runner::write_run(result, spec, runner::BuildInfo{LUNSIM_VERSION, LUNSIM_GIT_REVISION}, summary, *dir);
  dir->commit();
  if (!args.quiet) {
    runner::print_summary(out, result, spec, summary);
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    out << "  peak RSS       " << usage.ru_maxrss << " kB\n";
    out << "  output         " << dir->final_path().string() << '\n';
  }
  return exit_ok;
}

} // namespace sim::cli
