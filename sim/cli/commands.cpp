#include "sim/cli/commands.hpp"

#include "sim/cli/embedded_scenario.hpp"
#include "sim/metrics/run_directory.hpp"
#include "reports/compare.hpp"
#include "reports/html_report.hpp"
#include "sim/base/units.hpp"
#include "sim/com/library.hpp"
#include "sim/metrics/csv.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/faults.hpp"
#include "sim/runner/budget.hpp"
#include "sim/runner/check.hpp"
#include "sim/runner/explore.hpp"
#include "sim/runner/interrupt.hpp"
#include "sim/trace/trace.hpp"
#include "sim/runner/progress.hpp"
#include "sim/runner/sweep.hpp"
#include "sim/runner/sweep_mpi.hpp"
#include "sim/runner/outputs.hpp"
#include "sim/runner/replications.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/topology.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <sstream>
#include <thread>
#include <optional>
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

} // namespace

bool fits_memory(const scenario::ScenarioSpec& spec, const ScenarioArgs& args, const runner::EstimateOptions& how,
                 std::ostream& err) {
  std::uint64_t budget = 0;
  std::string source;
  if (args.max_memory) {
    if (*args.max_memory == "unlimited") return true;
    const auto b = base::parse_bytes(*args.max_memory);
    if (!b || b->value == 0) {
      err << "lunsim: error: --max-memory '" << *args.max_memory
          << "': expected a size such as 512MiB or 6GB, or 'unlimited'\n";
      return false;
    }
    budget = b->value;
    source = "--max-memory " + *args.max_memory;
  } else if (const auto b = runner::default_memory_budget(source)) {
    budget = *b;
  } else {
    return true;
  }
  const auto over = runner::check_memory(runner::estimate_memory(spec, how), budget, source);
  if (over) err << over->format() << '\n';
  return !over;
}

std::string version_string() { return std::string("lunsim ") + LUNSIM_VERSION + " (" + LUNSIM_GIT_REVISION + ")"; }

int validate_command(const ScenarioArgs& args, std::ostream& out, std::ostream& err,
                     const std::optional<std::string>& graph) {
  const scenario::LoadResult r = load(args);
  if (!scenario::print_diagnostics(r, err)) return exit_bad_input;
  const std::vector<base::Diagnostic> warnings = scenario::capacity_warnings(*r.spec);
  for (const auto& w : warnings) err << w.format() << '\n';
  if (!fits_memory(*r.spec, args, {}, err)) return exit_bad_input;
  if (graph) {
    storage::Topology topology;
    scenario::build_topology(*r.spec, topology);
    std::ostringstream dot;
    topology.write_dot(dot);
    try {
      metrics::write_file_atomically(*graph, dot.str());
    } catch (const std::runtime_error& e) {
      err << "lunsim: error: --graph " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  out << r.spec->file << ": ok (" << r.spec->subsystems.size() << " subsystem(s), " << r.spec->ops.size()
      << " operation(s), " << r.spec->io.size() << " load(s))"
      << (warnings.empty() ? "" : ", " + std::to_string(warnings.size()) + " warning(s)")
      << "; a run needs about " << runner::format_bytes(runner::estimate_memory(*r.spec).bytes) << "\n";
  return exit_ok;
}

int compare_command(const CompareArgs& args, std::ostream& out, std::ostream& err) {
  const auto threshold = base::parse_percent(args.threshold);
  if (!threshold) {
    err << "lunsim: error: --threshold '" << args.threshold << "': " << threshold.error().message << '\n';
    return exit_bad_input;
  }
  if (!(*threshold > 0)) {
    err << "lunsim: error: --threshold '" << args.threshold << "': must be above 0 (equivalence needs a margin)\n";
    return exit_bad_input;
  }
  reports::Format format;
  if (args.format == "table") format = reports::Format::Table;
  else if (args.format == "csv") format = reports::Format::Csv;
  else if (args.format == "markdown") format = reports::Format::Markdown;
  else if (args.format == "json") format = reports::Format::Json;
  else {
    err << "lunsim: error: --format '" << args.format << "' (accepted: table, csv, markdown, json)\n";
    return exit_bad_input;
  }
  reports::CompareOptions options;
  options.threshold = *threshold;
  if (args.design == "auto") options.design = reports::Design::Auto;
  else if (args.design == "paired") options.design = reports::Design::Paired;
  else if (args.design == "unpaired") options.design = reports::Design::Unpaired;
  else {
    err << "lunsim: error: --design '" << args.design << "' (accepted: auto, paired, unpaired)\n";
    return exit_bad_input;
  }
  bool fail_inconclusive = false;
  for (const std::string& f : args.fail_on) {
    if (f == "inconclusive") fail_inconclusive = true;
    else if (f != "slower") {
      err << "lunsim: error: --fail-on '" << f << "' (accepted: slower, inconclusive)\n";
      return exit_bad_input;
    }
  }
  try {
    const bool base_sweep = reports::is_sweep_directory(args.base);
    const bool cand_sweep = reports::is_sweep_directory(args.candidate);
    if (base_sweep != cand_sweep)
      throw reports::InputError((base_sweep ? args.base : args.candidate) + " is a sweep directory and " +
                                (base_sweep ? args.candidate : args.base) + " a run directory: compare like with like");
    const reports::Comparison c =
        base_sweep ? reports::compare_sweeps(reports::read_sweep(args.base), reports::read_sweep(args.candidate), options)
                   : reports::compare(reports::read_run(args.base), reports::read_run(args.candidate), options);
    if (args.output) {
      // Complete or absent: written aside and renamed; only a regular file is created or replaced.
      std::ostringstream text;
      reports::write_report(text, c, format, false);
      try {
        metrics::write_file_atomically(*args.output, text.str());
      } catch (const std::runtime_error& e) {
        err << "lunsim: error: -o " << e.what() << '\n';
        return exit_bad_input;
      }
    } else {
      reports::write_report(out, c, format, format == reports::Format::Table && isatty(fileno(stdout)) != 0);
    }
    for (const auto& w : c.warnings)
      if (args.output || format != reports::Format::Table) err << "lunsim: warning: " << w << '\n';
    int status = exit_ok;
    if (c.count(reports::Verdict::Slower) > 0) status = exit_found_failure;
    if (c.any_missing()) {
      if (args.allow_missing) {
        err << "lunsim: note: metrics on one side only (added/removed) are allowed by --allow-missing\n";
      } else {
        std::string names;
        for (const auto& s : c.rows)
          if (s.verdict == reports::Verdict::Added || s.verdict == reports::Verdict::Removed)
            names += (names.empty() ? "" : ", ") + s.metric + " (" + to_string(s.verdict) + ")";
        err << "lunsim: metrics on one side only: " << names << "; exit status 1 (--allow-missing accepts them)\n";
        status = exit_found_failure;
      }
    }
    if (fail_inconclusive) {
      const std::size_t n = c.count(reports::Verdict::Inconclusive) + c.count(reports::Verdict::TooFewSamples);
      if (n > 0) {
        err << "lunsim: " << n << " series inconclusive or with too few samples; exit status 1 (--fail-on inconclusive)\n";
        status = exit_found_failure;
      }
    }
    return status;
  } catch (const reports::InputError& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
}

int report_command(const ReportArgs& args, std::ostream& out, std::ostream& err) {
  reports::HtmlReportOptions options;
  if (args.compare) options.compare = *args.compare;
  std::ostringstream html;
  try {
    reports::write_html_report(html, args.run, options);
  } catch (const reports::InputError& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  // Complete or absent, and only ever a regular file (not a device, a symbolic link or a directory).
  try {
    metrics::write_file_atomically(args.output, html.str());
  } catch (const std::runtime_error& e) {
    err << "lunsim: error: -o " << e.what() << '\n';
    return exit_bad_input;
  }
  out << "report: " << args.output << '\n';
  return exit_ok;
}

namespace {

/// The foreign client --client-lib names, loaded; nullopt when none; false on bad input (said).
struct LoadedClient {
  std::unique_ptr<com::ClientLibrary> library;
  com::ClientOptions options;
};

bool load_client(const ClientLibArgs& a, LoadedClient& out, std::ostream& err) {
  if (!a.path) {
    const char* given = !a.entry.empty()         ? "--entry"
                        : a.kind != "subsystem"  ? "--entry-kind"
                        : a.stack != "256KiB"    ? "--fiber-stack"
                        : a.count != 1           ? "--client-count"
                        : !a.args.empty()        ? "--client-arg"
                                                 : nullptr;
    if (given != nullptr) {
      err << "lunsim: error: " << given << ": needs --client-lib (the client library it is about)\n";
      return false;
    }
    return true;
  }
  if (a.entry.empty()) {
    err << "lunsim: error: --client-lib: needs --entry NAME (the client's extern \"C\" entry point)\n";
    return false;
  }
  if (provider::builtin_client_names.parse(a.entry)) {
    err << "lunsim: error: --entry: '" << a.entry << "' is the name of a built-in client (reserved: "
        << provider::builtin_client_names.accepted() << ")\n";
    return false;
  }
  const auto kind = com::entry_kind_names.parse(a.kind);
  if (!kind) {
    err << "lunsim: error: --entry-kind: unknown kind '" << a.kind << "' (accepted: " << com::entry_kind_names.accepted()
        << ")\n";
    return false;
  }
  if (*kind != com::EntryKind::Main && !a.args.empty()) {
    err << "lunsim: error: --client-arg: a " << a.kind << " entry takes no arguments (use --entry-kind main)\n";
    return false;
  }
  const auto stack = base::parse_bytes(a.stack);
  if (!stack || stack.value().value < engine::Fiber::min_stack_bytes || stack.value().value > (1ULL << 30)) {
    err << "lunsim: error: --fiber-stack: '" << a.stack << "' is not a size from 16KiB to 1GiB\n";
    return false;
  }
  // Stacks are reserved, not touched; still, keep the reservation within reason.
  if (stack.value().value * a.count > (64ULL << 30)) {
    err << "lunsim: error: --client-count x --fiber-stack: " << a.count << " x " << a.stack
        << " is more than 64GiB of stacks\n";
    return false;
  }
  try {
    out.library = std::make_unique<com::ClientLibrary>(*a.path, a.entry, *kind);
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return false;
  }
  out.options.stack_bytes = static_cast<std::size_t>(stack.value().value);
  out.options.args = a.args;
  return true;
}

} // namespace

int check_command(const CheckArgs& args, std::ostream& out, std::ostream& err) {
  runner::CheckOptions options;
  options.seed = args.seed;
  options.clients.clear();
  for (const auto& c : args.clients) {
    if (!provider::builtin_client_names.parse(c)) {
      err << "lunsim: error: --clients: unknown client '" << c << "' (accepted: "
          << provider::builtin_client_names.accepted() << ")\n";
      return exit_bad_input;
    }
    options.clients.push_back(c);
  }
  bool all = false;
  for (const auto& f : args.faults) {
    if (f == "all") {
      all = true;
      continue;
    }
    const auto b = provider::parse_behavior(f);
    if (!b) {
      err << "lunsim: error: --faults: unknown behaviour '" << f << "' (accepted: all";
      for (provider::Behavior x : provider::all_behaviors()) err << ", " << to_string(x);
      err << ")\n";
      return exit_bad_input;
    }
    options.behaviors.push_back(*b);
  }
  if (all) options.behaviors.clear();
  LoadedClient foreign;
  if (!load_client(args.client, foreign, err)) return exit_bad_input;
  if (foreign.library) {
    options.foreign.push_back(foreign.library->entry());
    options.foreign_options = foreign.options;
    options.isolate = true;
  }
  std::optional<scenario::ScenarioSpec> topology;
  if (args.scenario) {
    scenario::LoadResult r = scenario::load_scenario_file(*args.scenario);
    if (!scenario::print_diagnostics(r, err)) return exit_bad_input;
    topology = std::move(r.spec);
    topology->ops.clear();
    topology->io.clear();
    options.topology = &*topology;
  }
  std::optional<metrics::RunDirectory> dir;
  try {
    dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                            : metrics::RunDirectory::create_numbered("runs", "check"));
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const std::vector<runner::CheckCell> cells = runner::run_check(options);
  {
    metrics::CsvWriter w(dir->open("check.csv"));
    w.header({"behavior", "client", "verdict", "client_hresult_hex", "client_hresult", "orphaned_luns", "leaked_refs",
              "expected_verdict", "violations", "client_violations", "client_finished", "wait_began_s", "crash"});
    for (const auto& c : cells) {
      w.field(to_string(c.behavior)).field(c.client).field(to_string(c.verdict));
      w.field(provider::hex(c.client_hresult)).field(provider::describe(c.client_hresult));
      w.field(std::uint64_t{c.orphaned_luns}).field(std::uint64_t{c.leaked_refs});
      if (c.client == "reference") w.field(to_string(runner::expected_reference(c.behavior).verdict));
      else w.empty();
      w.field(std::uint64_t{c.violations}).field(std::uint64_t{c.client_violations.size()});
      w.field(c.client_finished ? "true" : "false");
      if (c.wait_began == base::never) w.empty();
      else w.field(c.wait_began);
      w.field(c.crash);
      w.end_row();
    }
  }
  {
    metrics::CsvWriter w(dir->open("client-violations.csv"));
    w.header({"behavior", "client", "time_s", "object", "kind", "detail"});
    for (const auto& c : cells)
      for (const provider::ClientViolation& v : c.client_violations)
        w.row(to_string(c.behavior), c.client, v.time, v.object, to_string(v.kind), v.detail);
  }
  dir->commit();
  const bool ok = runner::reference_matches(cells);
  if (!args.quiet) {
    std::vector<std::string> columns = options.clients;
    for (const com::Entry& e : options.foreign) columns.push_back(e.name);
    runner::print_matrix(out, cells, columns);
    out << (ok ? "reference client: every cell matches the contract table\n"
               : "reference client: MISMATCH with the contract table\n");
    out << "  output         " << dir->final_path().string() << '\n';
  }
  return ok ? exit_ok : exit_found_failure;
}

int run_command(const RunArgs& args, std::ostream& out, std::ostream& err) {
  if (!provider::builtin_client_names.parse(args.ops_client)) {
    err << "lunsim: error: --client: unknown client '" << args.ops_client
        << "' (accepted: " << provider::builtin_client_names.accepted() << ")\n";
    return exit_bad_input;
  }
  const scenario::LoadResult r = load(args.scenario);
  if (!scenario::print_diagnostics(r, err)) return exit_bad_input;
  const scenario::ScenarioSpec& spec = *r.spec;
  for (const auto& w : scenario::capacity_warnings(spec)) err << w.format() << '\n';
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const runner::EstimateOptions how{args.replications, args.threads == 0 ? hw : args.threads,
                                    args.replications <= 1 || !args.summary_only};
  if (!fits_memory(spec, args.scenario, how, err)) return exit_bad_input;
  LoadedClient foreign;
  if (!load_client(args.client, foreign, err)) return exit_bad_input;
  std::optional<runner::CompatClients> compat;
  if (foreign.library) {
    compat.emplace();
    compat->entry = foreign.library->entry();
    compat->count = args.client.count;
    compat->client = foreign.options;
  }

  std::optional<metrics::RunDirectory> dir;
  try {
    dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                            : metrics::RunDirectory::create_numbered("runs", spec.name));
  } catch (const std::exception& e) {
    err << "lunsim: error: " << e.what() << '\n';
    return exit_bad_input;
  }

  const runner::BuildInfo build{LUNSIM_VERSION, LUNSIM_GIT_REVISION};
  runner::ReplicatedRunOptions options;
  options.replications = args.replications;
  options.threads = args.threads;
  options.summary_only = args.summary_only;
  options.trace = args.trace;
  options.compat = compat ? &*compat : nullptr;
  options.client = *provider::builtin_client_names.parse(args.ops_client);
  options.progress = !args.quiet && args.replications > 1 && isatty(fileno(stderr)) != 0 ? &err : nullptr;
  // Ctrl-C stops the run within 1024 events; the unfinished directory is removed (~RunDirectory).
  runner::clear_interrupt();
  const runner::InterruptGuard on_ctrl_c;
  options.interrupt = &runner::interrupt_flag();
  std::optional<runner::RunOutcome> finished;
  try {
    finished.emplace(runner::run_replications(spec, options, build, *dir));
  } catch (const runner::Interrupted&) {
    dir.reset();
    err << "lunsim: interrupted: nothing was written (the unfinished output was removed)\n";
    return exit_interrupted;
  } catch (const trace::TraceError& e) {
    // The trace was checked when the scenario was loaded: it changed or vanished since.
    dir.reset();
    err << e.diagnostic() << "\nlunsim: the trace changed while the run read it; nothing was written\n";
    return exit_bad_input;
  } catch (const std::bad_alloc&) {
    dir.reset();
    err << "lunsim: error: out of memory while building and running the model (estimated "
        << runner::format_bytes(runner::estimate_memory(spec, how).bytes)
        << "; fewer threads (-j) or a smaller scenario may fit); nothing was written\n";
    return exit_bad_input;
  }
  const runner::RunOutcome& outcome = *finished;
  dir->commit();
  for (const std::string& w : outcome.meta.warnings) err << "lunsim: warning: " << w << '\n';
  if (!args.quiet) {
    if (outcome.single) runner::print_summary(out, *outcome.single, spec, outcome.rows);
    else runner::print_pooled_summary(out, spec, outcome.meta, outcome.rows);
  }
  if (!args.quiet) {
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    out << "  peak RSS       " << usage.ru_maxrss << " kB\n";
    out << "  output         " << dir->final_path().string() << '\n';
  }
  return exit_ok;
}

} // namespace sim::cli

namespace sim::cli {

namespace {

/// The command that reproduces a reproducer file with the explored client.
std::string replay_command(const ExploreArgs& args, const std::string& file) {
  std::string c = "lunsim explore --replay " + file;
  if (args.library.path) {
    c += " --client-lib " + *args.library.path + " --entry " + args.library.entry + " --entry-kind " + args.library.kind;
    for (const std::string& a : args.library.args) c += " --client-arg " + a;
  } else {
    c += " --client " + args.client;
  }
  if (args.contract) c += " --contract " + *args.contract;
  return c;
}

} // namespace

int explore_command(const ExploreArgs& args, std::ostream& out_all, std::ostream& err_all) {
  // Under an MPI launcher (a build with MPI): the runs spread over the ranks; rank 0 speaks.
  std::unique_ptr<runner::MpiSession> mpi;
  if (runner::launched_by_mpi() && runner::mpi_built() && !args.replay) mpi = std::make_unique<runner::MpiSession>();
  const bool rank0 = !mpi || mpi->rank() == 0;
  std::ostringstream discard;
  std::ostream& out = rank0 ? out_all : discard;
  std::ostream& err = rank0 ? err_all : discard;
  runner::ExploreClient client;
  LoadedClient foreign;
  if (!load_client(args.library, foreign, err)) return exit_bad_input;
  if (foreign.library) {
    client.name = foreign.library->entry().name;
    client.foreign = foreign.library->entry();
    client.options = foreign.options;
  } else {
    if (!provider::builtin_client_names.parse(args.client)) {
      err << "lunsim: error: --client: unknown client '" << args.client
          << "' (accepted: " << provider::builtin_client_names.accepted() << ", or --client-lib with --entry)\n";
      return exit_bad_input;
    }
    client.name = args.client;
  }
  std::optional<runner::Contract> contract;
  if (args.contract) {
    contract = runner::contract_names.parse(*args.contract);
    if (!contract) {
      err << "lunsim: error: --contract: unknown contract '" << *args.contract
          << "' (accepted: " << runner::contract_names.accepted() << ")\n";
      return exit_bad_input;
    }
  }
  std::optional<base::Duration> hang_bound;
  if (args.hang_bound) {
    const auto d = base::parse_duration(*args.hang_bound);
    if (!d || d.value() <= base::Duration::zero()) {
      err << "lunsim: error: --hang-bound: '" << *args.hang_bound << "' is not a positive duration (e.g. 2h, 90m)\n";
      return exit_bad_input;
    }
    hang_bound = d.value();
  }
  if (args.max_faults < 1 || args.max_faults > 16) {
    err << "lunsim: error: --max-faults: " << args.max_faults << " is out of range (accepted: 1 to 16)\n";
    return exit_bad_input;
  }
  if (args.runs < 1 || args.runs > 1'000'000) {
    err << "lunsim: error: --runs: " << args.runs << " is out of range (accepted: 1 to 1000000: every run's row is kept until the end)\n";
    return exit_bad_input;
  }
  const bool builtin_reference = !client.foreign && client.name == "reference";
  const runner::Contract chosen = contract.value_or(builtin_reference ? runner::Contract::Reference : runner::Contract::Strict);

  if (args.replay) {
    const scenario::LoadResult r = scenario::load_scenario_file(*args.replay);
    if (!scenario::print_diagnostics(r, err)) return exit_bad_input;
    const scenario::ScenarioSpec& spec = *r.spec;
    if (spec.horizon == base::never) {
      err << *args.replay << ": error: a reproducer needs a horizon (the hang bound it was explored with)\n";
      return exit_bad_input;
    }
    const base::Duration bound = spec.horizon.time_since_epoch();
    auto once = [&] { return runner::judge_run(spec, client, chosen, spec.faults, spec.seed, bound); };
    const runner::Judgement j = client.foreign ? runner::run_isolated(once) : once();
    out << "replay " << *args.replay << " with " << client.name << " (contract " << runner::contract_names.name(chosen)
        << "): " << runner::run_verdict_names.name(j.verdict);
    if (j.verdict == runner::RunVerdict::Fail) out << ", " << runner::to_string(j.broken) << ": " << j.detail;
    out << '\n';
    return j.verdict == runner::RunVerdict::Fail ? exit_found_failure : exit_ok;
  }

  scenario::LoadResult r = args.scenario
                               ? scenario::load_scenario_file(*args.scenario)
                               : scenario::load_scenario(runner::default_workflow_yaml(), "explore-default.yaml");
  if (!scenario::print_diagnostics(r, err)) return exit_bad_input;
  const scenario::ScenarioSpec& workflow = *r.spec;
  if (!client.foreign && workflow.ops.empty()) {
    err << (args.scenario ? *args.scenario : std::string("workflow"))
        << ": error: the workflow has no operations in 'workload' for the built-in client to make\n";
    return exit_bad_input;
  }
  std::optional<metrics::RunDirectory> dir;
  if (rank0) {
    try {
      dir.emplace(args.output ? metrics::RunDirectory::create_exact(*args.output)
                              : metrics::RunDirectory::create_numbered("runs", "explore"));
    } catch (const std::exception& e) {
      err << "lunsim: error: " << e.what() << '\n';
      if (!mpi) return exit_bad_input;
      std::vector<std::uint64_t> ok{0};
      mpi->broadcast(ok);
      return exit_bad_input;
    }
  }
  if (mpi) {  // every rank learns whether rank 0 could create its directory
    std::vector<std::uint64_t> ok{dir ? 1U : 0U};
    mpi->broadcast(ok);
    if (ok[0] == 0) return exit_bad_input;
  }

  runner::ExploreOptions options;
  options.mpi = mpi.get();
  options.workflow = &workflow;
  options.client = client;
  options.seed = args.seed;
  options.runs = args.runs;
  options.max_faults = args.max_faults;
  options.hang_bound = hang_bound;
  options.contract = contract;
  options.jobs = std::max(args.jobs, 1U);
  options.shrink_limit = args.shrink_limit;
  options.max_failures = args.max_failures;
  runner::Progress progress(err, args.runs, "runs", rank0 && !args.quiet && isatty(fileno(stderr)) != 0);
  options.progress = [&](std::uint64_t done, std::uint64_t) { progress.update(done); };
  runner::clear_interrupt();
  const runner::InterruptGuard guard;
  std::atomic<bool> stop{false};
  options.stop = &stop;
  std::thread watcher([&] {
    while (!stop.load()) {
      if (runner::interrupt_requested()) stop = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  runner::ExploreResult result;
  try {
    result = runner::explore(options);
  } catch (...) {
    stop = true;
    watcher.join();
    throw;
  }
  const bool interrupted = result.interrupted || runner::interrupt_requested();
  stop = true;
  watcher.join();
  progress.finish();
  if (!rank0) return exit_ok;  // rank 0 writes and judges

  // Outputs: explore.csv, one reproducer per shrunk failure.
  std::map<runner::Invariant, std::uint64_t> failures;
  std::uint64_t clean = 0, allowed = 0;
  const runner::ExploreCase* smallest = nullptr;
  {
    metrics::CsvWriter w(dir->open("explore.csv"));
    w.header({"seed", "faults", "schedule", "verdict", "invariant", "detail", "shrunk_size", "shrunk_schedule",
              "shrink_runs", "reproducer"});
    for (const runner::ExploreCase& c : result.cases) {
      const runner::Judgement& j = c.judgement;
      if (j.verdict == runner::RunVerdict::Clean) ++clean;
      else if (j.verdict == runner::RunVerdict::Contract) ++allowed;
      else ++failures[j.broken];
      w.field(c.seed).field(std::uint64_t{c.schedule.size()}).field(runner::describe(c.schedule));
      w.field(runner::run_verdict_names.name(j.verdict));
      if (j.verdict == runner::RunVerdict::Fail) w.field(runner::to_string(j.broken)).field(j.detail);
      else w.empty().empty();
      if (c.shrunk) {
        const std::string file = "repro-seed-" + std::to_string(c.seed) + ".yaml";
        w.field(std::uint64_t{c.minimal.size()}).field(runner::describe(c.minimal)).field(std::uint64_t{c.shrink_runs});
        w.field(file);
        dir->open(file) << "# lunsim explore: seed " << c.seed << ", " << runner::to_string(j.broken) << " ("
                        << j.detail << "), shrunk from " << c.schedule.size() << " to " << c.minimal.size()
                        << " fault(s).\n# Reproduce: " << replay_command(args, file) << "\n"
                        << runner::reproducer_yaml(workflow, c.minimal, c.seed, result.hang_bound,
                                                   client.foreign.has_value());
        if (smallest == nullptr || c.minimal.size() < smallest->minimal.size() ||
            (c.minimal.size() == smallest->minimal.size() && c.seed < smallest->seed))
          smallest = &c;
      } else {
        w.empty().empty().empty().empty();
      }
      w.end_row();
    }
  }
  {
    metrics::CsvWriter w(dir->open("meta.csv"));
    w.header({"key", "value"});
    w.row("client", client.name);
    w.row("contract", runner::contract_names.name(result.contract));
    w.row("first_seed", args.seed);
    w.row("runs_requested", args.runs);
    w.row("runs_finished", std::uint64_t{result.cases.size()});
    w.row("max_faults", std::uint64_t{args.max_faults});
    w.row("healthy_s", base::format_seconds(result.healthy));
    w.row("hang_bound_s", base::format_seconds(result.hang_bound));
    w.row("interrupted", interrupted ? "true" : "false");
  }
  dir->commit();
  std::uint64_t failed = 0;
  for (const auto& [inv, n] : failures) failed += n;
  if (!args.quiet) {
    if (smallest != nullptr) {
      out << "smallest failing case: seed " << smallest->seed << ", " << runner::to_string(smallest->judgement.broken)
          << ", " << smallest->minimal.size() << " fault(s): " << runner::describe(smallest->minimal) << '\n'
          << "  " << smallest->minimal_judgement.detail << '\n'
          << "  reproduce: "
          << replay_command(args, (dir->final_path() / ("repro-seed-" + std::to_string(smallest->seed) + ".yaml")).string())
          << '\n';
    }
    out << "explored " << client.name << " (contract " << runner::contract_names.name(result.contract) << "): "
        << result.cases.size() << " runs (seeds " << args.seed << ".." << args.seed + std::max<std::uint64_t>(result.cases.size(), 1) - 1
        << "), healthy workflow " << base::format_seconds(result.healthy) << " s, hang bound "
        << base::format_seconds(result.hang_bound) << " s\n";
    out << "  clean " << clean << ", contract " << allowed << ", failed " << failed;
    for (const auto& [inv, n] : failures) out << "  " << runner::to_string(inv) << ": " << n;
    out << '\n';
    if (interrupted) out << "  interrupted: the finished runs are written\n";
    out << "  output         " << dir->final_path().string() << '\n';
  }
  if (interrupted) return exit_interrupted;
  return failed > 0 ? exit_found_failure : exit_ok;
}

} // namespace sim::cli
