#include "sim/runner/explore.hpp"

#include "sim/engine/random.hpp"
#include "sim/provider/hresult.hpp"
#include "sim/runner/check.hpp"
#include "sim/runner/isolate.hpp"
#include "sim/runner/parallel.hpp"
#include "sim/runner/run.hpp"
#include "sim/runner/sweep_mpi.hpp"
#include "sim/scenario/loader.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace sim::runner {

namespace {

using provider::Behavior;
using provider::FaultOp;
using provider::FaultSpec;
using namespace std::chrono_literals;

constexpr const char* default_workflow = R"(# lunsim explore's default workflow: a small array, and a client that creates, extends,
# shrinks, recovers and deletes LUNs.
schema_version: 1
name: explore-default
seed: 1
drive_models:
  check-100g:
    capacity: 100GB
    bandwidth: 200MB/s
    latency: 2ms
subsystems:
  - name: array
    management_latency: 100ms
    enclosures:
      - {name: shelf, drives: {model: check-100g, count: 8}}
workload:
  - {at: 0s, op: create_lun, name: db, type: raid5, size: 6GiB, drives: 4}
  - {at: 0s, op: create_lun, name: logs, type: mirror, size: 2GiB, drives: 2}
  - {after: db, op: extend_lun, name: db-extend, lun: db, by: 1GiB}
  - {after: logs, op: shrink_lun, name: logs-shrink, lun: logs, by: 512MiB}
  - {after: db-extend, op: recover_lun, name: db-recover, lun: db}
  - {after: logs-shrink, op: delete_lun, name: logs-delete, lun: logs}
  - {at: 5s, op: create_lun, name: scratch, type: simple, size: 1GiB, drives: 1}
  - {after: scratch, op: delete_lun, name: scratch-delete, lun: scratch}
)";

/// The fault operation a scenario operation's call matches.
FaultOp fault_op(scenario::OpKind k) {
  switch (k) {
    case scenario::OpKind::CreateLun: return FaultOp::CreateLun;
    case scenario::OpKind::ExtendLun: return FaultOp::ExtendLun;
    case scenario::OpKind::ShrinkLun: return FaultOp::ShrinkLun;
    case scenario::OpKind::DeleteLun: return FaultOp::DeleteLun;
    case scenario::OpKind::RecoverLun: break;
  }
  return FaultOp::Any;
}

/// Behaviours whose one orphan a provider hides from every client (it made a LUN and said
/// otherwise, or handed it where no client can use it).
bool hides_lun(Behavior b) {
  return b == Behavior::WrongOutputType || b == Behavior::NullPayload || b == Behavior::NoInterface ||
         b == Behavior::WaitFails;
}

/// What the contract allows for an operation a fault with behaviour b fired on.
struct Allowance {
  bool hang = false;
  bool undetected = false;
  std::uint32_t orphans = 0;
  std::uint32_t leaks = 0;
};

Allowance allowance(Contract c, Behavior b) {
  Allowance a;
  if (c == Contract::Reference) {
    const Expected e = expected_reference(b);
    a.hang = e.verdict == Verdict::Hang;
    a.undetected = e.verdict == Verdict::Undetected;
    a.orphans = e.orphans;
    a.leaks = e.leaks;
  } else if (hides_lun(b)) {
    a.orphans = 1;
  }
  return a;
}

/// What a run broke: the first invariant in the header's order names the failure; what only the
/// contract allows makes the run `contract`.
struct Findings {
  Judgement j;
  bool contract_seen = false;
  void fail(Invariant inv, std::string detail) {
    if (j.verdict == RunVerdict::Fail && static_cast<int>(j.broken) <= static_cast<int>(inv)) return;
    j.verdict = RunVerdict::Fail;
    j.broken = inv;
    j.detail = std::move(detail);
  }
  void allowed() { contract_seen = true; }
  Judgement done() {
    if (j.verdict != RunVerdict::Fail && contract_seen) j.verdict = RunVerdict::Contract;
    return j;
  }
};

std::string seconds_text(base::Time t) { return base::format_seconds(t) + " s"; }

Judgement judge_builtin(const RunResult& r, Contract contract) {
  Findings f;
  std::uint32_t allowed_leaks = 0;
  for (const OpRecord& op : r.ops) {
    const auto b = provider::parse_behavior(op.fault);
    Allowance a;  // what every fault that fired during the operation allows, together
    for (const Behavior fired : op.faults_fired) {
      const Allowance x = allowance(contract, fired);
      a.hang = a.hang || x.hang;
      a.undetected = a.undetected || x.undetected;
      a.orphans += x.orphans;
      a.leaks += x.leaks;
    }
    allowed_leaks += a.leaks;
    const std::string under = b ? " under " + op.fault : std::string();
    if (op.status == OpStatus::Crashed) f.fail(Invariant::Crash, "op " + op.name + ": " + op.client.crash + under);
    if (op.status == OpStatus::InFlight) {
      if (a.hang) f.allowed();
      else f.fail(Invariant::Hang, "op " + op.name + " still waiting at the hang bound" + under);
    }
    if (op.verdict == "undetected") {
      if (a.undetected) f.allowed();
      else f.fail(Invariant::UndetectedLie, "op " + op.name + ": the client reported " +
                                                (op.status == OpStatus::Ok ? "success" : "failure") + under +
                                                ", not the array's truth");
    }
    if (op.orphaned_luns > 0) {
      if (op.orphaned_luns <= a.orphans) f.allowed();
      else f.fail(Invariant::OrphanedLun, "op " + op.name + " left " + std::to_string(op.orphaned_luns) +
                                              " LUN(s) on the array the client does not know" + under);
    }
  }
  std::uint32_t leaks = 0;
  std::string leaked;
  for (const auto& o : r.references)
    if (o.holder.kind == provider::HolderKind::Client && o.holder.name == r.ops_client) {
      leaks += o.count;
      if (leaked.empty()) leaked = o.name;
    }
  if (leaks > allowed_leaks)
    f.fail(Invariant::LeakedReference, std::to_string(leaks) + " reference(s) still held at the end (first: " + leaked + ")");
  else if (leaks > 0) f.allowed();
  for (const provider::ClientViolation& v : r.client_violations)
    if (v.client == r.ops_client) {
      f.fail(Invariant::ClientViolation, std::string(provider::to_string(v.kind)) + " on " + v.object + " at " +
                                             seconds_text(v.time) + " (" + v.detail + ")");
      break;
    }
  return f.done();
}

Judgement judge_foreign(const RunResult& r, Contract contract, const Schedule& schedule) {
  Findings f;
  if (r.clients.empty()) return f.done();
  const ClientResult& c = r.clients.front();
  const com::Outcome& o = c.outcome;
  // The faults that fired and were exercised: the client is judged against each.
  std::vector<Behavior> exercised;
  std::uint32_t allowed_orphans = 0, allowed_leaks = 0;
  bool hang_allowed = false, undetected_allowed = false;
  for (const provider::FaultEvent& e : r.fault_events) {
    const Behavior b = schedule.at(e.fault).behavior;
    const Allowance a = allowance(contract, b);
    allowed_orphans += a.orphans;
    allowed_leaks += a.leaks;
    hang_allowed = hang_allowed || a.hang;
    undetected_allowed = undetected_allowed || a.undetected;
    if (e.exercised) exercised.push_back(b);
  }
  if (o.crashed) f.fail(Invariant::Crash, o.crash);
  if (!o.finished) {
    if (hang_allowed) f.allowed();
    else f.fail(Invariant::Hang, "still blocked in " + o.blocked_in + " at the hang bound");
  } else if (!o.crashed) {
    // The truth, whatever fired: a success must be true (every LUN it was handed and kept is
    // usable and as large as asked), a failure must leave nothing usable behind it was never
    // handed (beyond the LUNs a lie hid from it). How it met each lie in between is its own
    // business, as long as it keeps the protocol (client_violation).
    const bool success = o.hresult >= 0;
    const bool untrue = success ? c.untrue_luns > 0 : c.usable_left && c.unknown_luns > allowed_orphans;
    std::string under;
    for (const Behavior b : exercised) under += (under.empty() ? " under " : ", ") + std::string(provider::to_string(b));
    if (untrue && undetected_allowed) {
      f.allowed();
    } else if (untrue) {
      const provider::HResult h{static_cast<std::uint32_t>(o.hresult)};
      f.fail(Invariant::UndetectedLie,
             "the client returned " + provider::describe(h) + under +
                 (success ? "; " + std::to_string(c.untrue_luns) + " of its LUNs are not what it asked for"
                          : "; it left a usable LUN it does not know"));
    }
  }
  if (c.unknown_luns > allowed_orphans)
    f.fail(Invariant::OrphanedLun, std::to_string(c.unknown_luns) + " LUN(s) on the array the client was never handed");
  else if (c.unknown_luns > 0) f.allowed();
  if (c.leaked_refs > allowed_leaks) {
    std::string first;
    for (const auto& ref : r.references)
      if (ref.holder.name == c.holder) {
        first = ref.name;
        break;
      }
    f.fail(Invariant::LeakedReference, std::to_string(c.leaked_refs) + " reference(s) still held at the end (first: " + first + ")");
  } else if (c.leaked_refs > 0) {
    f.allowed();
  }
  for (const provider::ClientViolation& v : r.client_violations)
    if (v.client == c.holder) {
      f.fail(Invariant::ClientViolation, std::string(provider::to_string(v.kind)) + " on " + v.object + " at " +
                                             seconds_text(v.time) + " (" + v.detail + ")");
      break;
    }
  return f.done();
}

/// The workflow as run for `client` with `schedule`.
scenario::ScenarioSpec prepared(const scenario::ScenarioSpec& workflow, bool foreign, const Schedule& schedule,
                                std::uint64_t seed, base::Duration bound) {
  scenario::ScenarioSpec spec = workflow;
  spec.seed = seed;
  spec.faults = schedule;
  spec.fault_locs.assign(schedule.size(), {});
  spec.faults_section = true;
  spec.horizon = base::at(bound);
  if (foreign) spec.ops.clear();
  return spec;
}

RunResult run_once(const scenario::ScenarioSpec& spec, const ExploreClient& client) {
  RunOptions options;
  options.events = false;
  options.tables = false;
  CompatClients compat;
  if (client.foreign) {
    compat.entry = *client.foreign;
    compat.client = client.options;
    options.compat = &compat;
  } else {
    const auto b = provider::builtin_client_names.parse(client.name);
    if (!b) throw std::invalid_argument("explore: unknown client '" + client.name + "' (accepted: " +
                                        provider::builtin_client_names.accepted() + ", or a --client-lib entry)");
    options.client = *b;
  }
  return run_scenario(spec, options);
}

// -- the judgement across a pipe ----------------------------------------------------------------

std::string encode(const Judgement& j) {
  return std::to_string(static_cast<int>(j.verdict)) + "\n" + std::to_string(static_cast<int>(j.broken)) + "\n" + j.detail;
}

std::optional<Judgement> decode(const std::string& text) {
  const auto a = text.find('\n');
  const auto b = a == std::string::npos ? a : text.find('\n', a + 1);
  if (b == std::string::npos) return std::nullopt;
  Judgement j;
  j.verdict = static_cast<RunVerdict>(std::stoi(text.substr(0, a)));
  j.broken = static_cast<Invariant>(std::stoi(text.substr(a + 1, b - a - 1)));
  j.detail = text.substr(b + 1);
  return j;
}

/// A child's outcome as a judgement: its own, or how it died (a crash; killed: a hang).
Judgement judged(const ChildOutcome& o) {
  if (o.end == ChildOutcome::End::Done)
    if (auto j = decode(o.data)) return *j;
  if (o.end == ChildOutcome::End::Killed)
    return Judgement{RunVerdict::Fail, Invariant::Hang, "the client's process " + o.describe()};
  return Judgement{RunVerdict::Fail, Invariant::Crash, "the client's process " + o.describe()};
}

std::uint64_t draw_below(engine::RandomStream& r, std::uint64_t n) { return n <= 1 ? 0 : r.below(n); }

} // namespace

const char* default_workflow_yaml() { return default_workflow; }

Schedule draw_schedule(const scenario::ScenarioSpec& workflow, bool foreign, std::uint64_t seed,
                       std::uint32_t max_faults, base::Duration healthy) {
  engine::RandomStream r(seed, 0, "explore/schedule");
  // The operations the workflow calls, with how many calls each.
  std::map<FaultOp, std::uint64_t> calls;
  if (foreign) {
    for (FaultOp op : {FaultOp::CreateLun, FaultOp::ExtendLun, FaultOp::ShrinkLun, FaultOp::DeleteLun}) calls[op] = 3;
  } else {
    for (const scenario::OpSpec& op : workflow.ops) ++calls[fault_op(op.kind)];
  }
  std::uint64_t total = 0;
  for (const auto& [op, n] : calls) total += n;
  calls[FaultOp::Any] = std::max<std::uint64_t>(total, 1);
  std::vector<std::pair<FaultOp, std::uint64_t>> ops(calls.begin(), calls.end());
  std::vector<Behavior> behaviors;
  for (Behavior b : provider::all_behaviors())
    if (b != Behavior::None) behaviors.push_back(b);

  Schedule s;
  const std::uint64_t n = 1 + draw_below(r, std::max<std::uint32_t>(max_faults, 1));
  for (std::uint64_t k = 0; k < n; ++k) {
    FaultSpec f;
    f.behavior = behaviors[draw_below(r, behaviors.size())];
    const auto& [op, count] = ops[draw_below(r, ops.size())];
    f.op = op;
    const std::uint64_t trigger = draw_below(r, 10);
    if (trigger < 7 || healthy <= base::Duration::zero()) {
      f.nth = 1 + draw_below(r, count);
    } else {
      const auto from = base::Duration(static_cast<std::int64_t>(r.uniform01() * static_cast<double>(healthy.count())));
      f.from = base::at(std::chrono::duration_cast<base::Duration>(std::chrono::floor<std::chrono::milliseconds>(from)));
      if (trigger == 9) f.probability = 0.25 * static_cast<double>(1 + draw_below(r, 3));
    }
    // Parameters, drawn for every fault (the behaviour uses those that apply).
    f.at_fraction = 0.1 * static_cast<double>(1 + draw_below(r, 9));
    static constexpr double factors[] = {2, 4, 10, 50};
    f.factor = factors[draw_below(r, 4)];
    f.restarts = static_cast<std::uint32_t>(1 + draw_below(r, 3));
    static constexpr base::Duration afters[] = {100ms, 1s, 10s};
    f.after = afters[draw_below(r, 3)];
    static constexpr std::uint64_t bys[] = {1ULL << 20, 64ULL << 20, 1ULL << 30};
    f.by = bys[draw_below(r, 3)];
    s.push_back(f);
  }
  return s;
}

Judgement judge_run(const scenario::ScenarioSpec& workflow, const ExploreClient& client, Contract contract,
                    const Schedule& schedule, std::uint64_t seed, base::Duration bound) {
  const bool foreign = client.foreign.has_value();
  const scenario::ScenarioSpec spec = prepared(workflow, foreign, schedule, seed, bound);
  const RunResult r = run_once(spec, client);
  return foreign ? judge_foreign(r, contract, schedule) : judge_builtin(r, contract);
}

Judgement run_isolated(const std::function<Judgement()>& run, double wall_limit_s) {
  return judged(run_in_child([&] { return encode(run()); }, wall_limit_s));
}

Schedule shrink_schedule(const std::function<Judgement(const Schedule&)>& judge, Schedule s, const Judgement& failing,
                         std::uint32_t& runs) {
  auto still_fails = [&](const Schedule& candidate) {
    ++runs;
    const Judgement j = judge(candidate);
    return j.verdict == RunVerdict::Fail && j.broken == failing.broken;
  };
  // 1. Faults: remove one at a time until no single removal keeps the failure (1-minimal).
  for (bool changed = true; changed && s.size() > 1;) {
    changed = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      Schedule c = s;
      c.erase(c.begin() + static_cast<std::ptrdiff_t>(i));
      if (still_fails(c)) {
        s = std::move(c);
        changed = true;
        break;
      }
    }
  }
  // 2. Triggers and parameters, each toward the simplest.
  const FaultSpec defaults;
  for (FaultSpec& f : s) {
    auto attempt = [&](auto change) {
      FaultSpec saved = f;
      change(f);
      if (saved.probability == f.probability && saved.from == f.from && saved.to == f.to && saved.nth == f.nth &&
          saved.at_fraction == f.at_fraction && saved.factor == f.factor && saved.restarts == f.restarts &&
          saved.after == f.after && saved.by == f.by && saved.target == f.target && saved.op == f.op)
        return;  // nothing to try
      if (!still_fails(s)) f = saved;
    };
    attempt([](FaultSpec& x) { x.probability.reset(); });
    attempt([](FaultSpec& x) {
      if (x.from || x.to) {
        x.from.reset();
        x.to.reset();
        x.nth = 1;
      }
    });
    if (f.nth)
      for (std::uint64_t k = 1; k < *f.nth; ++k) {
        const std::uint64_t before = *f.nth;
        attempt([k](FaultSpec& x) { x.nth = k; });
        if (*f.nth != before) break;
      }
    attempt([](FaultSpec& x) { x.op = FaultOp::Any; });
    attempt([&](FaultSpec& x) { x.at_fraction = defaults.at_fraction; });
    attempt([&](FaultSpec& x) { x.factor = defaults.factor; });
    attempt([&](FaultSpec& x) { x.restarts = defaults.restarts; });
    attempt([&](FaultSpec& x) { x.after = defaults.after; });
    attempt([&](FaultSpec& x) { x.by = defaults.by; });
    attempt([](FaultSpec& x) { x.target.clear(); });
  }
  return s;
}

base::Duration healthy_duration(const scenario::ScenarioSpec& workflow, const ExploreClient& client, std::uint64_t seed) {
  scenario::ScenarioSpec spec = prepared(workflow, client.foreign.has_value(), {}, seed, 24h);
  spec.faults_section = false;
  auto measure = [&]() -> std::string {  // nanoseconds, as text (it may cross a pipe)
    const RunResult r = run_once(spec, client);
    base::Time end{};
    for (const OpRecord& op : r.ops)
      if (op.completed != base::never) end = std::max(end, op.completed);
    for (const ClientResult& c : r.clients)
      if (c.outcome.finished_at != base::never) end = std::max(end, c.outcome.finished_at);
    return std::to_string(end.time_since_epoch().count());
  };
  if (!client.foreign) return base::Duration(std::stoll(measure()));
  const ChildOutcome o = run_in_child(measure);
  // A client that dies without faults gives no length to learn: the bound is then 2 h.
  return o.end == ChildOutcome::End::Done ? base::Duration(std::stoll(o.data)) : base::Duration::zero();
}

ExploreResult explore(const ExploreOptions& options) {
  if (options.workflow == nullptr) throw std::invalid_argument("explore: no workflow");
  const scenario::ScenarioSpec& workflow = *options.workflow;
  const ExploreClient& client = options.client;
  const bool foreign = client.foreign.has_value();
  ExploreResult result;
  result.contract = options.contract.value_or(!foreign && client.name == "reference" ? Contract::Reference : Contract::Strict);
  result.healthy = healthy_duration(workflow, client, options.seed);
  result.hang_bound = options.hang_bound.value_or(4 * result.healthy + 2h);
  const base::Duration bound = result.hang_bound;
  const Contract contract = result.contract;

  auto judge = [&](const Schedule& s, std::uint64_t seed) -> Judgement {
    auto once = [&] { return judge_run(workflow, client, contract, s, seed, bound); };
    return foreign ? run_isolated(once) : once();
  };
  std::atomic<bool> enough{false};  // max_failures reached
  auto stopped = [&] { return enough.load() || (options.stop != nullptr && options.stop->load()); };

  std::uint64_t failed = 0;
  auto consume = [&](std::uint64_t k, ExploreCase c) {
    if (enough.load()) return;
    if (c.judgement.verdict == RunVerdict::Fail) ++failed;
    if (options.max_failures > 0 && failed >= options.max_failures) enough = true;
    result.cases.push_back(std::move(c));
    if (options.progress) options.progress(k + 1, failed);
  };
  if (options.mpi != nullptr && options.mpi->size() > 1) {
    // MPI ranks: a run's judgement crosses the wire; its schedule is drawn again from its seed.
    options.mpi->farm(
        options.runs, foreign ? 1U : std::max(options.jobs, 1U), 64ULL * static_cast<std::uint64_t>(options.mpi->size()),
        [&](std::uint64_t k) {
          const std::uint64_t seed = options.seed + k;
          const Schedule s = draw_schedule(workflow, foreign, seed, options.max_faults, result.healthy);
          return encode(judge(s, seed));
        },
        [&](std::uint64_t k, std::string&& text) {
          ExploreCase c;
          c.seed = options.seed + k;
          c.schedule = draw_schedule(workflow, foreign, c.seed, options.max_faults, result.healthy);
          const std::optional<Judgement> j = decode(text);
          if (!j) throw std::runtime_error("explore: a malformed judgement from an MPI rank");
          c.judgement = *j;
          consume(k, std::move(c));
        });
  } else if (!foreign) {
    // Threads: each run builds its own world; results are consumed in seed order. A run not
    // started because of a stop request is empty, and ends the collection.
    ordered_parallel(
        options.runs, options.jobs, 4ULL * std::max(options.jobs, 1U),
        [&](std::uint64_t k) -> std::optional<ExploreCase> {
          if (stopped()) return std::nullopt;
          ExploreCase c;
          c.seed = options.seed + k;
          c.schedule = draw_schedule(workflow, false, c.seed, options.max_faults, result.healthy);
          c.judgement = judge_run(workflow, client, contract, c.schedule, c.seed, bound);
          return c;
        },
        [&](std::uint64_t k, std::optional<ExploreCase> c) {
          if (!c && !enough.load()) result.interrupted = true;
          if (c && !result.interrupted) consume(k, std::move(*c));
        });
  } else {
    // Processes: up to `jobs` children at once, one run each; consumed in seed order.
    std::map<std::uint64_t, ExploreCase> ready;
    std::vector<Child> children;
    std::vector<std::uint64_t> child_run;
    std::uint64_t next = 0, next_out = 0;
    const unsigned jobs = std::max(options.jobs, 1U);
    std::map<std::uint64_t, ExploreCase> in_flight;
    while (next_out < options.runs) {
      while (!stopped() && next < options.runs && children.size() < jobs) {
        ExploreCase c;
        c.seed = options.seed + next;
        c.schedule = draw_schedule(workflow, true, c.seed, options.max_faults, result.healthy);
        const Schedule s = c.schedule;
        const std::uint64_t seed = c.seed;
        children.push_back(
            spawn_child([&, s, seed] { return encode(judge_run(workflow, client, contract, s, seed, bound)); }));
        child_run.push_back(next);
        in_flight.emplace(next, std::move(c));
        ++next;
      }
      if (children.empty()) {
        result.interrupted = next_out < options.runs && !enough.load();
        break;
      }
      auto [i, outcome] = wait_any(children, 120);
      ExploreCase c = std::move(in_flight.at(child_run[i]));
      in_flight.erase(child_run[i]);
      c.judgement = judged(outcome);
      ready.emplace(child_run[i], std::move(c));
      child_run.erase(child_run.begin() + static_cast<std::ptrdiff_t>(i));
      while (!ready.empty() && ready.begin()->first == next_out) {
        consume(next_out, std::move(ready.begin()->second));
        ready.erase(ready.begin());
        ++next_out;
      }
    }
  }

  // Shrink: the first failure of each invariant, then the next failures, up to the limit.
  std::vector<std::size_t> order;
  std::vector<bool> taken(result.cases.size(), false);
  std::vector<bool> seen(invariant_names.entries().size(), false);  // by Invariant
  auto failing = [&](std::size_t i) { return result.cases[i].judgement.verdict == RunVerdict::Fail; };
  for (std::size_t i = 0; i < result.cases.size() && order.size() < options.shrink_limit; ++i) {
    const auto inv = static_cast<std::size_t>(result.cases[i].judgement.broken);
    if (!failing(i) || seen[inv]) continue;
    seen[inv] = taken[i] = true;
    order.push_back(i);
  }
  for (std::size_t i = 0; i < result.cases.size() && order.size() < options.shrink_limit; ++i)
    if (failing(i) && !taken[i]) order.push_back(i);
  for (std::size_t i : order) {
    if (options.stop != nullptr && options.stop->load()) break;
    ExploreCase& c = result.cases[i];
    c.minimal = shrink_schedule([&](const Schedule& s) { return judge(s, c.seed); }, c.schedule, c.judgement, c.shrink_runs);
    c.minimal_judgement = judge(c.minimal, c.seed);
    c.shrunk = true;
  }
  return result;
}

std::string fault_yaml(const FaultSpec& f) {
  std::string out = "{op: " + std::string(provider::to_string(f.op)) + ", behavior: " + provider::to_string(f.behavior);
  if (f.nth) out += ", nth: " + std::to_string(*f.nth);
  if (f.probability) {
    char p[32];
    std::snprintf(p, sizeof p, "%.17g", *f.probability);
    out += ", probability: " + std::string(p);
  }
  if (f.from || f.to) {
    out += ", window: {";
    if (f.from) out += "from: " + std::to_string(f.from->time_since_epoch().count()) + "ns";
    if (f.to) out += std::string(f.from ? ", " : "") + "to: " + std::to_string(f.to->time_since_epoch().count()) + "ns";
    out += "}";
  }
  if (!f.target.empty()) out += ", target: " + f.target;
  switch (f.behavior) {
    case Behavior::OpFails:
    case Behavior::PercentRegresses: {
      char a[32];
      std::snprintf(a, sizeof a, "%.10g%%", 100 * f.at_fraction);
      out += ", at: " + std::string(a);
      break;
    }
    case Behavior::Slow: {
      char x[32];
      std::snprintf(x, sizeof x, "%.17g", f.factor);
      out += ", factor: " + std::string(x);
      break;
    }
    case Behavior::RestartLoop:
      out += ", restarts: " + std::to_string(f.restarts);
      if (f.forever) out += ", forever: true";
      break;
    case Behavior::CompletesTwice: out += ", after: " + std::to_string(f.after.count()) + "ns"; break;
    case Behavior::SizeRoundedDown: out += ", by: " + std::to_string(f.by) + "B"; break;
    default: break;
  }
  if (f.hresult && (f.behavior == Behavior::OpFails || f.behavior == Behavior::WaitFails ||
                    f.behavior == Behavior::SyncErrorWithHandle))
    out += ", hresult: '" + provider::hex(*f.hresult) + "'";
  return out + "}";
}

std::string describe(const Schedule& schedule) {
  std::string out;
  for (const FaultSpec& f : schedule) {
    if (!out.empty()) out += "; ";
    std::string y = fault_yaml(f);
    out += y.substr(1, y.size() - 2);
  }
  return out;
}

std::string reproducer_yaml(const scenario::ScenarioSpec& workflow, const Schedule& schedule, std::uint64_t seed,
                            base::Duration bound, bool foreign) {
  std::string faults = "[";
  for (std::size_t i = 0; i < schedule.size(); ++i) faults += (i > 0 ? ", " : "") + fault_yaml(schedule[i]);
  faults += "]";
  std::vector<scenario::Override> sets{{"provider={faults: " + faults + "}", "explore"},
                                       {"seed=" + std::to_string(seed), "explore"},
                                       {"horizon=" + std::to_string(bound.count()) + "ns", "explore"}};
  if (foreign) sets.push_back({"workload=[]", "explore"});
  return scenario::rewrite_scenario(workflow.text, workflow.file, sets);
}

} // namespace sim::runner
