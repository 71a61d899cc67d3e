#include "sim/runner/check.hpp"

#include "sim/engine/task.hpp"
#include "sim/runner/isolate.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/provider.hpp"
#include "sim/scenario/world.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>
#include <stdexcept>

namespace sim::runner {

namespace {

using provider::Behavior;
using namespace std::chrono_literals;

/// What a client did in a cell, whichever kind it is.
struct CellOutcome {
  bool finished = false;
  bool crashed = false;
  std::string crash;
  provider::HResult result = provider::hr::s_ok;
  base::Time wait_began = base::never;
  const provider::LunObject* lun = nullptr;  ///< the LUN the client returned (success) or was handed
  base::Bytes asked;                   ///< the size it asked for
  bool retried = false;
};

const com::Entry* find_foreign(const CheckOptions& options, const std::string& client) {
  for (const com::Entry& e : options.foreign)
    if (e.name == client) return &e;
  return nullptr;
}

CheckCell run_one(const CheckOptions& options, const scenario::ScenarioSpec& topology, const provider::FaultSpec& fault,
                  const std::string& client) {
  for (const com::Entry& e : options.foreign)
    if (provider::builtin_client_names.parse(e.name))
      throw std::invalid_argument("check: foreign client '" + e.name + "' has the name of a built-in client");
  const com::Entry* foreign = find_foreign(options, client);
  const auto builtin = provider::builtin_client_names.parse(client);
  if (foreign == nullptr && !builtin) {
    std::string accepted = provider::builtin_client_names.accepted();
    for (const com::Entry& e : options.foreign) accepted += ", " + e.name;
    throw std::invalid_argument("check: unknown client '" + client + "' (accepted: " + accepted + ")");
  }
  const Behavior behavior = fault.behavior;
  CheckCell cell;
  cell.behavior = behavior;
  cell.client = client;
  provider::ClientRecord rec;  // outlives the simulation: a hung client's frame refers to it
  const provider::CreateLunRequest request{static_cast<std::int32_t>(provider::LunType::Raid5),
                                           base::Bytes{6ULL << 30}, {}, provider::Hints{4, 128 * 1024, 8, false, false, false}};
  engine::Simulation sim(options.seed);
  std::vector<provider::FaultSpec> faults;
  if (behavior != Behavior::None) faults.push_back(fault);
  provider::FaultPlan plan(sim, faults);
  scenario::World world(sim, topology);
  provider::Subsystem& sub = *world.subsystems().front();
  sub.set_faults(&plan);
  provider::Provider prov(world.ledger(), "provider", &plan);
  prov.add_subsystem(sub);
  const provider::Holder me = provider::Holder::client(client);

  CellOutcome out;
  engine::Process p;
  std::unique_ptr<com::Client> fc;
  if (foreign != nullptr) {
    fc = std::make_unique<com::Client>(sim, prov, &sub, *foreign, me, com::ServiceConfig{}, options.foreign_options);
    fc->start();
  } else {
    switch (*builtin) {
      case provider::BuiltinClient::Reference:
        p = engine::spawn(sim, provider::reference_create_lun(sub, request, me, rec));
        break;
      case provider::BuiltinClient::Naive: p = engine::spawn(sim, provider::naive_create_lun(sub, request, me, rec)); break;
      case provider::BuiltinClient::Robust:
        p = engine::spawn(sim, provider::robust_create_lun(prov, sub, request, me, provider::RobustOptions{}, rec));
        break;
    }
  }
  sim.run_until(base::at(24h));
  cell.stopped_at_bound = sim.events_pending() > 0;

  if (fc != nullptr) {
    const com::Outcome& o = fc->outcome();
    out.finished = o.finished;
    out.crashed = o.crashed;
    out.crash = o.crash;
    out.result = provider::HResult{static_cast<std::uint32_t>(o.hresult)};
    out.wait_began = o.wait_began;
    out.asked = o.create_lun_size;
    out.retried = o.create_lun_calls > 1;
    // The LUN a successful client made: the last Wait payload that is still on the array.
    for (const provider::LunObject* l : o.luns)
      if (!l->deleted() && l->lun_model() != nullptr) out.lun = l;
    if (!out.finished || out.result.failed()) out.lun = nullptr;
  } else {
    out.finished = p.done();
    out.crashed = rec.crashed;
    out.crash = rec.crash;
    out.result = rec.result;
    out.wait_began = rec.wait_began;
    out.lun = rec.lun;
    out.asked = request.size;
    out.retried = rec.attempts > 1;
  }
  cell.client_finished = out.finished;
  cell.client_hresult = out.result;
  cell.wait_began = out.wait_began;
  cell.crash = out.crash;
  // The truth: the LUNs on the array, and whether the client's is what was asked for.
  std::uint32_t on_array = 0;
  bool client_lun_on_array = false;
  for (const auto& l : sub.luns()) {
    if (l->deleted() || l->lun_model() == nullptr) continue;
    ++on_array;
    if (l.get() == out.lun) client_lun_on_array = true;
  }
  cell.orphaned_luns = on_array - (client_lun_on_array ? 1 : 0);
  const bool success = out.finished && out.result.succeeded() && out.lun != nullptr;
  const bool truthful_success = success && out.lun->usable() && out.lun->lun_model()->size() >= out.asked;
  const bool any_usable = std::any_of(sub.luns().begin(), sub.luns().end(), [](const auto& l) { return l->usable(); });
  // A built-in client returns its LUN with a reference the caller releases; a foreign one
  // releases its own (its entry point returns no pointer). What the client still holds is leaked.
  if (fc != nullptr) fc->end();
  else if (rec.lun != nullptr) rec.lun->release(me);
  for (const auto& o : world.ledger().outstanding())
    if (o.holder == me) cell.leaked_refs += o.count;
  cell.violations = static_cast<std::uint32_t>(plan.violations().size());
  for (const provider::ClientViolation& v : world.ledger().violations())
    if (v.client == me.name) cell.client_violations.push_back(v);

  Evidence e;
  e.finished = out.finished;
  e.crashed = out.crashed;
  e.exercised = behavior == Behavior::None || plan.any_exercised();
  e.client_failed = out.result.failed();
  e.client_success = success;
  e.truthful_success = truthful_success;
  e.usable_left = any_usable;
  e.retried = out.retried;
  cell.verdict = decide(behavior, e);
  return cell;
}

// A cell across a pipe (a foreign client's cell runs in its own process): fields separated by
// '\x1f', client violations by '\x1e'.
std::string encode(const CheckCell& c) {
  auto num = [](auto v) { return std::to_string(v); };
  std::string s = num(static_cast<int>(c.verdict)) + '\x1f' + num(c.client_hresult.value) + '\x1f' +
                  num(c.client_finished ? 1 : 0) + '\x1f' + num(c.wait_began.time_since_epoch().count()) + '\x1f' +
                  num(c.orphaned_luns) + '\x1f' + num(c.leaked_refs) + '\x1f' + num(c.violations) + '\x1f' +
                  num(c.stopped_at_bound ? 1 : 0) + '\x1f' + c.crash;
  for (const provider::ClientViolation& v : c.client_violations)
    s += '\x1e' + num(v.time.time_since_epoch().count()) + '\x1f' + v.client + '\x1f' + v.object + '\x1f' +
         num(static_cast<int>(v.kind)) + '\x1f' + v.detail;
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out{std::string()};
  for (char ch : s) {
    if (ch == sep) out.emplace_back();
    else out.back() += ch;
  }
  return out;
}

void decode(const std::string& text, CheckCell& c) {
  const std::vector<std::string> records = split(text, '\x1e');
  const std::vector<std::string> f = split(records.front(), '\x1f');
  if (f.size() != 9) throw std::runtime_error("check: a malformed cell from a client's process");
  c.verdict = static_cast<Verdict>(std::stoi(f[0]));
  c.client_hresult = provider::HResult{static_cast<std::uint32_t>(std::stoul(f[1]))};
  c.client_finished = f[2] == "1";
  c.wait_began = base::Time{base::Duration{std::stoll(f[3])}};
  c.orphaned_luns = static_cast<std::uint32_t>(std::stoul(f[4]));
  c.leaked_refs = static_cast<std::uint32_t>(std::stoul(f[5]));
  c.violations = static_cast<std::uint32_t>(std::stoul(f[6]));
  c.stopped_at_bound = f[7] == "1";
  c.crash = f[8];
  for (std::size_t k = 1; k < records.size(); ++k) {
    const std::vector<std::string> v = split(records[k], '\x1f');
    if (v.size() != 5) throw std::runtime_error("check: a malformed client violation from a client's process");
    c.client_violations.push_back(provider::ClientViolation{base::Time{base::Duration{std::stoll(v[0])}}, v[1], v[2],
                                                            static_cast<provider::ClientViolationKind>(std::stoi(v[3])),
                                                            v[4]});
  }
}

/// A foreign client's cell in its own process (its code may crash it): a child that dies is a
/// crash cell, lunsim goes on.
CheckCell run_isolated_cell(const CheckOptions& options, const scenario::ScenarioSpec& topology,
                            const provider::FaultSpec& fault, const std::string& client) {
  const ChildOutcome o = run_in_child([&] { return encode(run_one(options, topology, fault, client)); });
  CheckCell cell;
  cell.behavior = fault.behavior;
  cell.client = client;
  if (o.end == ChildOutcome::End::Done) {
    decode(o.data, cell);
    return cell;
  }
  cell.verdict = o.end == ChildOutcome::End::Killed ? Verdict::Hang : Verdict::Crash;
  cell.client_finished = o.end != ChildOutcome::End::Killed;
  cell.client_hresult = provider::hr::e_unexpected;
  cell.crash = "the client's process " + o.describe();
  return cell;
}

} // namespace

scenario::ScenarioSpec builtin_topology() {
  scenario::ScenarioSpec spec;
  spec.name = "check";
  scenario::DriveModelSpec m;
  m.name = "check-100g";
  m.capacity = base::Bytes{100'000'000'000ULL};
  m.bandwidth = base::Rate{200'000'000};
  m.read_latency = m.write_latency = engine::Distribution::constant(2ms);
  spec.drive_models.push_back(m);
  scenario::SubsystemSpec s;
  s.name = "array";
  s.management_latency = engine::Distribution::constant(100ms);
  scenario::EnclosureSpec e;
  e.name = "shelf";
  e.model.value = m.name;
  e.count = 8;
  s.enclosures.push_back(e);
  spec.subsystems.push_back(s);
  return spec;
}

Verdict decide(Behavior behavior, const Evidence& e) {
  if (!e.finished) return Verdict::Hang;
  if (e.crashed) return Verdict::Crash;
  if (!e.exercised) return Verdict::NotExercised;
  if (provider::is_lie(behavior)) {
    const bool transient = behavior == Behavior::Busy || behavior == Behavior::CacheCorrupt;
    if (transient && e.retried && e.truthful_success) return Verdict::Detected;
    return e.client_failed ? Verdict::Detected : Verdict::Undetected;
  }
  return e.truthful_success || (!e.client_success && !e.usable_left) ? Verdict::Ok : Verdict::Undetected;
}

Expected expected_reference(Behavior b) {
  switch (b) {
    case Behavior::None: return {Verdict::Ok, 0, 0};
    case Behavior::NullHandle: return {Verdict::Detected, 0, 0};
    case Behavior::WrongOutputType: return {Verdict::Detected, 1, 1};
    case Behavior::NullPayload: return {Verdict::Detected, 1, 0};
    case Behavior::NoInterface: return {Verdict::Detected, 1, 0};
    case Behavior::WaitFails: return {Verdict::Detected, 1, 0};
    case Behavior::OpFails: return {Verdict::Ok, 0, 0};
    case Behavior::NeverCompletes: return {Verdict::Hang, 0, 1};
    case Behavior::CompletesTwice: return {Verdict::Ok, 0, 0};
    case Behavior::InstantNoEffect:
    case Behavior::SizeRoundedDown: return {Verdict::Undetected, 0, 0};
    case Behavior::RestartLoop: return {Verdict::Ok, 0, 0};
    case Behavior::PercentRegresses:
    case Behavior::CancelIgnored:
    case Behavior::CancelUnsupported: return {Verdict::NotExercised, 0, 0};
    case Behavior::SyncErrorWithHandle: return {Verdict::Detected, 0, 0};
    case Behavior::LeakedReference: return {Verdict::Ok, 0, 0};
    case Behavior::CacheCorrupt:
    case Behavior::Busy:
    case Behavior::StaleObject: return {Verdict::Detected, 0, 0};
    case Behavior::Slow:
    case Behavior::HintsIgnored: return {Verdict::Ok, 0, 0};
  }
  return {Verdict::Ok, 0, 0};
}

std::vector<CheckCell> run_check(const CheckOptions& options) {
  const scenario::ScenarioSpec topology = options.topology != nullptr ? *options.topology : builtin_topology();
  const std::vector<Behavior>& behaviors = options.behaviors.empty() ? provider::all_behaviors() : options.behaviors;
  std::vector<CheckCell> cells;
  for (Behavior b : behaviors) {
    provider::FaultSpec f;
    f.op = provider::FaultOp::CreateLun;
    f.behavior = b;
    f.nth = 1;
    for (const std::string& c : options.clients) cells.push_back(run_one(options, topology, f, c));
    for (const com::Entry& c : options.foreign)
      cells.push_back(options.isolate ? run_isolated_cell(options, topology, f, c.name)
                                      : run_one(options, topology, f, c.name));
  }
  return cells;
}

CheckCell run_cell(const CheckOptions& options, const provider::FaultSpec& fault, const std::string& client) {
  return run_one(options, options.topology != nullptr ? *options.topology : builtin_topology(), fault, client);
}

bool reference_matches(const std::vector<CheckCell>& cells) {
  for (const CheckCell& c : cells) {
    if (c.client != "reference") continue;
    const Expected e = expected_reference(c.behavior);
    if (c.verdict != e.verdict || c.orphaned_luns != e.orphans || c.leaked_refs != e.leaks) return false;
  }
  return true;
}

void print_matrix(std::ostream& os, const std::vector<CheckCell>& cells, const std::vector<std::string>& clients) {
  auto cell_text = [](const CheckCell& c) {
    std::string t = to_string(c.verdict);
    if (c.orphaned_luns > 0) t += " o" + std::to_string(c.orphaned_luns);
    if (c.leaked_refs > 0) t += " l" + std::to_string(c.leaked_refs);
    if (c.violations > 0) t += " v" + std::to_string(c.violations);
    if (!c.client_violations.empty()) t += " c" + std::to_string(c.client_violations.size());
    return t;
  };
  char line[512];
  std::snprintf(line, sizeof line, "%-24s", "behaviour");
  os << line;
  for (const auto& c : clients) {
    std::snprintf(line, sizeof line, " %-20s", c.c_str());
    os << line;
  }
  os << " expected (reference)\n";
  for (std::size_t i = 0; i < cells.size(); i += clients.size()) {
    std::snprintf(line, sizeof line, "%-24s", to_string(cells[i].behavior));
    os << line;
    std::string mark;
    for (std::size_t k = 0; k < clients.size() && i + k < cells.size(); ++k) {
      const CheckCell& c = cells[i + k];
      std::snprintf(line, sizeof line, " %-20s", cell_text(c).c_str());
      os << line;
      if (c.client == "reference") {
        const Expected e = expected_reference(c.behavior);
        std::string exp = to_string(e.verdict);
        if (e.orphans > 0) exp += " o" + std::to_string(e.orphans);
        if (e.leaks > 0) exp += " l" + std::to_string(e.leaks);
        const bool match = c.verdict == e.verdict && c.orphaned_luns == e.orphans && c.leaked_refs == e.leaks;
        mark = " " + exp + (match ? "" : "   <-- MISMATCH");
      }
    }
    os << mark << '\n';
  }
  os << "cells: verdict, then o<N> orphaned LUNs, l<N> references the client leaked, v<N> protocol violations by\n"
        "the provider, c<N> by the client (client-violations.csv)\n";
}

} // namespace sim::runner
