#include "sim/scenario/loader.hpp"

#include "sim/provider/faults.hpp"
#include "sim/provider/hresult.hpp"
#include "sim/provider/vds_types.hpp"
#include "sim/scenario/yaml_reader.hpp"
#include "sim/storage/raid.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <functional>
#include <sstream>

namespace sim::scenario {

using detail::MapReader;
using detail::Reader;

namespace {

std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

/// Edits (insert, delete, substitute, swap two adjacent characters) from a to b: "bd" is one
/// edit from "db", as typing slips go.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// ---------------------------------------------------------------------------------------------
// --set overrides

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string hint_for(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string hint = did_you_mean(word, candidates);
  return hint.empty() ? std::string() : " (did you mean " + q(hint) + "?)";
}

std::string first_at(const base::SourceLoc& loc) { return "first at line " + std::to_string(loc.line); }

void apply_override(Reader& r, YAML::Node& root, const Override& o) {
  const std::string file = "--set " + o.text;
  // Diagnostics point into the text given on the command line (column 1 = first character).
  auto at = [&](std::size_t column0) { return base::SourceLoc{file, 1, static_cast<int>(column0) + 1}; };
  const auto eq = o.text.find('=');
  if (eq == std::string::npos || eq == 0) {
    r.error(at(0), "--set expects path=value, e.g. subsystems.array-a.management_latency=50ms");
    return;
  }
  const std::string path = o.text.substr(0, eq);
  const std::string value = o.text.substr(eq + 1);
  const std::string head = "--set " + q(path) + ": ";
  std::vector<std::pair<std::string, std::size_t>> parts;  // path element, its 0-based column
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.emplace_back(path.substr(start, dot - start), start);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  detail::YamlError syntax;
  const std::optional<YAML::Node> parsed = detail::parse_yaml(value, syntax);
  if (!parsed) {
    r.error(at(eq + 1 + static_cast<std::size_t>(syntax.line == 0 ? syntax.column : 0)),
            head + "the value is not valid YAML: " + syntax.message);
    return;
  }
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  YAML::Node cur = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& [part, column] = parts[i];
    const bool last = i + 1 == parts.size();
    if (part.empty()) {
      r.error(at(column), head + "empty path element (separate keys with single dots)");
      return;
    }
    const std::string where = walked.empty() ? "the scenario" : q(walked);
    const std::string here = walked.empty() ? part : walked + "." + part;
    if (cur.IsMap()) {
      if (last) {
        cur[part] = *parsed;
        r.add_override(cur[part], o.text, eq + 1);
        // A key that is new (not in the file) is positioned on the command line too.
        for (const auto& kv : cur)
          if (kv.first.IsScalar() && kv.first.Scalar() == part && kv.first.Mark().line < 0)
            r.add_override(kv.first, o.text, column);
        return;
      }
      const YAML::Node& view = cur;  // a const lookup adds no key
      YAML::Node next = view[part];
      if (!next) {
        std::vector<std::string> keys;
        for (const auto& kv : cur)
          if (kv.first.IsScalar()) keys.push_back(kv.first.Scalar());
        r.error(at(column), head + "no key " + q(part) + " in " + where + hint_for(part, keys) +
                                (keys.empty() ? "" : "; keys there: " + join(keys)));
        return;
      }
      cur.reset(next);
    } else if (cur.IsSequence()) {
      std::optional<YAML::Node> found;
      std::vector<std::string> names;
      std::size_t k = 0;
      for (const YAML::Node& item : cur) {
        const YAML::Node name = item.IsMap() ? item["name"] : YAML::Node();
        const bool named = name && name.IsScalar();
        if (named) names.push_back(name.Scalar());
        if ((named && name.Scalar() == part) || std::to_string(k) == part) {
          found = item;
          break;
        }
        ++k;
      }
      if (!found) {
        r.error(at(column), head + "no item named " + q(part) + " in " + where + hint_for(part, names) +
                                (names.empty() ? "" : "; names there: " + join(names)) + " (or give a 0-based index)");
        return;
      }
      if (last) {
        r.error(at(column), head + "cannot replace a whole list item; set one of its keys (" + here + ".KEY=VALUE)");
        return;
      }
      cur.reset(*found);
    } else {
      r.error(at(column), head + where + " holds a single value, so it has no " + q(part));
      return;
    }
    walked = here;
  }
}

// ---------------------------------------------------------------------------------------------
// sections

struct Loader {
  Loader(Reader& reader, ScenarioSpec& s) : r(reader), spec(s) {}

  Reader& r;
  ScenarioSpec& spec;
  bool models_ok = true;  // false when 'drive_models' is not a map: model references are not checked
  std::map<std::string, base::SourceLoc> drive_names;      // every drive of every subsystem
  std::map<std::string, base::SourceLoc> enclosure_names;  // every enclosure
  std::map<std::string, base::SourceLoc> op_names;
  std::map<std::string, std::vector<std::string>> groups;  // `every:` name -> expanded names
  std::vector<SourceLoc> fault_targets;  // per fault: where its `target:` is (unset: none)

  void drive_models(const YAML::Node& n) {
    if (!n.IsMap()) {
      models_ok = false;
      r.error(n, "key 'drive_models': expected a map of model names to models, e.g. {sas-8t: {capacity: 8TiB}}, found " +
                     detail::describe_kind(n));
      return;
    }
    std::map<std::string, base::SourceLoc> seen;
    for (const auto& kv : n) {
      if (!kv.first.IsScalar() || kv.first.Scalar().empty()) {
        r.error(kv.first, "key 'drive_models': a model name must be a plain word");
        continue;
      }
      const std::string name = kv.first.Scalar();
      if (const auto [first, fresh] = seen.emplace(name, r.loc(kv.first)); !fresh) {
        r.error(kv.first, "duplicate drive model " + q(name) + " (" + first_at(first->second) + ")");
        continue;
      }
      MapReader m(r, kv.second, "drive model " + q(name),
                  {"capacity", "bandwidth", "latency", "read_latency", "write_latency"});
      DriveModelSpec d;
      d.name = name;
      d.loc = r.loc(kv.first);
      if (!m.ok()) {
        spec.drive_models.push_back(std::move(d));  // known by name: references to it are not errors too
        continue;
      }
      if (const YAML::Node c = m.required("capacity")) {
        if (auto b = detail::get_bytes(r, c, "capacity")) {
          if (b->value == 0) r.error(c, "key 'capacity': must be greater than 0");
          d.capacity = *b;
        }
      }
      if (m.has("bandwidth"))
        if (auto b = detail::get_rate(r, m.get("bandwidth"), "bandwidth")) d.bandwidth = *b;
      engine::Distribution common = engine::Distribution::constant(base::Duration::zero());
      if (m.has("latency"))
        if (auto l = detail::get_distribution(r, m.get("latency"), "latency")) common = *l;
      d.read_latency = d.write_latency = common;
      if (m.has("read_latency"))
        if (auto l = detail::get_distribution(r, m.get("read_latency"), "read_latency")) d.read_latency = *l;
      if (m.has("write_latency"))
        if (auto l = detail::get_distribution(r, m.get("write_latency"), "write_latency")) d.write_latency = *l;
      spec.drive_models.push_back(std::move(d));
    }
  }

  const DriveModelSpec* model(std::string_view name) const {
    for (const auto& m : spec.drive_models)
      if (m.name == name) return &m;
    return nullptr;
  }

  void subsystems(const YAML::Node& n) {
    if (!n.IsSequence()) {
      r.error(n, "key 'subsystems': expected a list of subsystems ('- name: ...' items), found " + detail::describe_kind(n));
      return;
    }
    int index = 0;
    for (const auto& item : n) {
      ++index;
      MapReader m(r, item, "subsystem " + std::to_string(index),
                  {"name", "management_latency", "provisioning_priority", "chunk_size", "init", "controllers",
                   "enclosures"});
      if (!m.ok()) continue;
      SubsystemSpec s;
      s.loc = r.loc(item);
      if (const YAML::Node v = m.required("name"))
        if (auto name = detail::get_string(r, v, "name")) {
          s.name = *name;
          for (const auto& other : spec.subsystems)
            if (other.name == s.name) r.error(v, "duplicate subsystem name " + q(s.name) + " (" + first_at(other.loc) + ")");
        }
      const std::string what = "subsystem " + q(s.name);
      if (m.has("management_latency"))
        if (auto d = detail::get_distribution(r, m.get("management_latency"), "management_latency"))
          s.management_latency = *d;
      if (m.has("provisioning_priority"))
        if (auto p = detail::get_count(r, m.get("provisioning_priority"), "provisioning_priority", 0, 15))
          s.provisioning_priority = static_cast<std::uint8_t>(*p);
      if (m.has("chunk_size"))
        if (auto b = detail::get_bytes(r, m.get("chunk_size"), "chunk_size")) {
          if (b->value == 0) r.error(m.get("chunk_size"), "key 'chunk_size': must be greater than 0");
          s.chunk_size = *b;
        }
      if (m.has("init"))
        if (auto v = detail::get_string(r, m.get("init"), "init")) {
          if (*v == "full") s.initialize = true;
          else if (*v == "none") s.initialize = false;
          else r.error(m.get("init"), "key 'init': unknown value " + q(*v) + "; accepted: full, none");
        }
      if (m.has("controllers"))
        if (auto c = detail::get_count(r, m.get("controllers"), "controllers", 1, 64))
          s.controllers = static_cast<std::uint32_t>(*c);
      if (const YAML::Node encl = m.required("enclosures")) {
        if (!encl.IsSequence() || encl.size() == 0) {
          r.error(encl, "key 'enclosures': expected a non-empty list of enclosures ('- {name: ..., drives: {model: ..., "
                        "count: ...}}' items), found " + detail::describe_kind(encl));
        } else {
          int e_index = 0;
          for (const auto& e : encl) {
            ++e_index;
            MapReader em(r, e, what + " enclosure " + std::to_string(e_index), {"name", "drives", "hot_spares"});
            if (!em.ok()) continue;
            EnclosureSpec es;
            es.loc = r.loc(e);
            if (const YAML::Node v = em.required("name"))
              if (auto name = detail::get_string(r, v, "name")) {
                es.name = *name;
                if (const auto [first, fresh] = enclosure_names.emplace(es.name, r.loc(v)); !fresh)
                  r.error(v, "duplicate enclosure name " + q(es.name) + " (" + first_at(first->second) +
                                 "; enclosure names are global: they prefix drive names)");
              }
            if (const YAML::Node d = em.required("drives")) {
              MapReader dm(r, d, "enclosure " + q(es.name) + " drives", {"model", "count"});
              if (dm.ok()) {
                if (const YAML::Node mv = dm.required("model"))
                  if (auto mname = detail::get_string(r, mv, "model")) {
                    es.model = Located<std::string>{*mname, r.loc(mv)};
                    if (models_ok && model(*mname) == nullptr) {
                      std::vector<std::string> names;
                      for (const auto& dmod : spec.drive_models) names.push_back(dmod.name);
                      r.error(mv, "key 'model': unknown drive model " + q(*mname) + hint_for(*mname, names) +
                                      (names.empty() ? "; no drive_models are defined" : "; defined: " + join(names)));
                    }
                  }
                if (const YAML::Node cv = dm.required("count"))
                  if (auto c = detail::get_count(r, cv, "count", 1, 10'000'000)) es.count = static_cast<std::uint32_t>(*c);
              }
            }
            if (em.has("hot_spares"))
              if (auto h = detail::get_count(r, em.get("hot_spares"), "hot_spares", 0, 10'000'000)) {
                es.hot_spares = static_cast<std::uint32_t>(*h);
                if (es.count > 0 && es.hot_spares > es.count)
                  r.error(em.get("hot_spares"), "key 'hot_spares': " + std::to_string(es.hot_spares) +
                                                    " is more than the enclosure's " + std::to_string(es.count) +
                                                    " drives (accepted: from 0 to " + std::to_string(es.count) + ")");
              }
            s.enclosures.push_back(std::move(es));
          }
        }
      }
      spec.subsystems.push_back(std::move(s));
    }
    for (const auto& s : spec.subsystems)
      for (const auto& e : s.enclosures)
        for (std::uint32_t i = 0; i < e.count; ++i) drive_names.emplace(e.name + "/" + std::to_string(i), e.loc);
  }

  void add_op(OpSpec op, const YAML::Node& at_node) {
    if (const auto [first, fresh] = op_names.emplace(op.name, op.loc); !fresh) {
      r.error(at_node, "duplicate operation name " + q(op.name) + " (" + first_at(first->second) + ")");
      return;
    }
    spec.ops.push_back(std::move(op));
  }

  void op_item(const MapReader& m, int index) {
    OpSpec op;
    op.loc = r.loc(m.node());
    const YAML::Node kind_node = m.get("op");
    const auto kind = detail::get_string(r, kind_node, "op");
    if (!kind) return;
    static const std::vector<std::string> kinds = {"create_lun", "extend_lun", "shrink_lun", "delete_lun"};
    if (*kind == "create_lun") op.kind = OpKind::CreateLun;
    else if (*kind == "extend_lun") op.kind = OpKind::ExtendLun;
    else if (*kind == "shrink_lun") op.kind = OpKind::ShrinkLun;
    else if (*kind == "delete_lun") op.kind = OpKind::DeleteLun;
    else {
      const std::string hint = did_you_mean(*kind, kinds);
      r.error(kind_node, "key 'op': unknown operation " + q(*kind) +
                             (hint.empty() ? "" : " (did you mean " + q(hint) + "?)") +
                             "; accepted: create_lun, extend_lun, shrink_lun, delete_lun");
      return;
    }
    const YAML::Node name_node = op.kind == OpKind::CreateLun ? m.required("name") : m.get("name");
    if (name_node) {
      if (auto n = detail::get_string(r, name_node, "name")) op.name = *n;
    } else {
      op.name = *kind + "-" + std::to_string(index);
    }
    if (m.has("at"))
      if (auto d = detail::get_duration(r, m.get("at"), "at")) op.at = base::at(*d);
    if (m.has("after"))
      if (auto names = detail::get_names(r, m.get("after"), "after"))
        for (auto& [n, loc] : *names) op.after.push_back(Located<std::string>{n, loc});
    if (m.has("subsystem"))
      if (auto s = detail::get_string(r, m.get("subsystem"), "subsystem")) {
        op.subsystem = *s;
        op.subsystem_loc = r.loc(m.get("subsystem"));
      }
    auto forbid = [&](std::initializer_list<const char*> keys) {
      for (const char* k : keys)
        if (m.has(k)) r.error(m.key_loc(k), "key " + q(k) + " does not apply to op " + q(*kind));
    };
    switch (op.kind) {
      case OpKind::CreateLun: {
        forbid({"lun", "by"});
        if (const YAML::Node t = m.required("type"))
          if (auto tn = detail::get_string(r, t, "type")) {
            const auto lt = provider::parse_lun_type(*tn);
            static const std::vector<std::string> types = {
                "simple", "span", "stripe", "mirror", "parity", "raid5", "raid6", "raid10", "raid0", "raid1",
                "raid01", "raid50", "raid60", "default", "fault_tolerant", "non_fault_tolerant"};
            if (!lt) r.error(t, "key 'type': unknown LUN type " + q(*tn) + hint_for(*tn, types) +
                                    "; accepted: simple, span, stripe, mirror, parity, raid5, raid6, raid10 (or a VDS_LT_ name)");
            else op.lun_type = static_cast<std::int32_t>(*lt);
          }
        if (const YAML::Node sz = m.required("size"))
          if (auto b = detail::get_bytes(r, sz, "size")) {
            if (b->value == 0) r.error(sz, "key 'size': must be greater than 0");
            op.size = *b;
          }
        if (m.has("drives")) {
          const YAML::Node d = m.get("drives");
          if (d.IsScalar() && !d.Scalar().empty() && std::isdigit(static_cast<unsigned char>(d.Scalar()[0]))) {
            if (auto c = detail::get_count(r, d, "drives", 1, 100'000)) op.drive_count = static_cast<std::uint32_t>(*c);
          } else if (auto names = detail::get_names(r, d, "drives")) {
            for (auto& [n, loc] : *names) op.drives.push_back(Located<std::string>{n, loc});
          }
        }
        if (m.has("hints")) {
          MapReader h(r, m.get("hints"), "hints", {"rebuild_priority", "stripe_size"});
          if (h.ok()) {
            if (h.has("rebuild_priority"))
              if (auto p = detail::get_count(r, h.get("rebuild_priority"), "rebuild_priority", 0, 15))
                op.rebuild_priority = static_cast<std::int16_t>(*p);
            if (h.has("stripe_size"))
              if (auto b = detail::get_bytes(r, h.get("stripe_size"), "stripe_size")) {
                const std::uint64_t v = b->value;
                if (v < 4096 || v > (1ULL << 30) || (v & (v - 1)) != 0)
                  r.error(h.get("stripe_size"), "key 'stripe_size': must be a power of two from 4KiB to 1GiB");
                else op.stripe_size = static_cast<std::uint32_t>(v);
              }
          }
        }
        break;
      }
      case OpKind::ExtendLun:
      case OpKind::ShrinkLun:
        forbid({"type", "size", "drives", "hints"});
        if (const YAML::Node by = m.required("by"))
          if (auto b = detail::get_bytes(r, by, "by")) {
            if (b->value == 0) r.error(by, "key 'by': must be greater than 0");
            op.by = *b;
          }
        [[fallthrough]];
      case OpKind::DeleteLun:
        if (op.kind == OpKind::DeleteLun) forbid({"type", "size", "drives", "hints", "by"});
        if (const YAML::Node l = m.required("lun"))
          if (auto n = detail::get_string(r, l, "lun")) op.lun = Located<std::string>{*n, r.loc(l)};
        break;
    }
    if (m.has("every") != m.has("count")) {
      if (m.has("every"))
        r.error(m.key_loc("every"), "key 'every' needs 'count' (how many operations to start, from 1 to 1000000)");
      else
        r.error(m.key_loc("count"), "key 'count' needs 'every' (the time between two starts, such as 5m)");
      return;
    }
    if (m.has("every")) {
      const YAML::Node every = m.get("every");
      const YAML::Node count = m.get("count");
      const auto step = detail::get_duration(r, every, "every");
      const auto n = detail::get_count(r, count, "count", 1, 1'000'000);
      if (!step || !n) return;
      if (step->count() <= 0) {
        r.error(every, "key 'every': must be greater than 0");
        return;
      }
      const base::Time first = op.at.value_or(base::Time{});
      std::vector<std::string>& members = groups[op.name];
      if (const auto prior = op_names.find(op.name); prior != op_names.end())
        r.error(m.node(), "duplicate operation name " + q(op.name) + " (" + first_at(prior->second) + ")");
      op_names.emplace(op.name, op.loc);
      for (std::uint64_t k = 0; k < *n; ++k) {
        OpSpec copy = op;
        copy.name = op.name + "-" + std::to_string(k + 1);
        copy.at = base::saturating_add(first, *step * static_cast<std::int64_t>(k));
        members.push_back(copy.name);
        add_op(std::move(copy), m.node());
      }
      return;
    }
    add_op(std::move(op), name_node ? name_node : m.node());
  }

  void io_item(const YAML::Node& n, int index) {
    MapReader m(r, n, "io load", {"name", "clients", "requests", "think", "rate", "size", "read", "pattern",
                                  "targets", "start", "after", "stop"});
    if (!m.ok()) return;
    IoSpec io;
    io.loc = r.loc(n);
    io.name = "io-" + std::to_string(index);
    if (m.has("name"))
      if (auto s = detail::get_string(r, m.get("name"), "name")) io.name = *s;
    if (m.has("rate") && (m.has("clients") || m.has("requests") || m.has("think")))
      r.error(m.key_loc("rate"), "io load: 'rate' (open loop) cannot be combined with 'clients', 'requests' or 'think' (closed loop)");
    if (m.has("rate")) {
      io.open_loop = true;
      if (auto rate = detail::get_op_rate(r, m.get("rate"), "rate")) io.rate = *rate;
      if (m.has("stop"))
        if (auto d = detail::get_duration(r, m.get("stop"), "stop")) io.stop = base::at(*d);
    } else {
      if (m.has("stop")) r.error(m.key_loc("stop"), "key 'stop' applies to open-loop loads (with 'rate') only");
      if (m.has("clients"))
        if (auto c = detail::get_count(r, m.get("clients"), "clients", 1, 10'000'000))
          io.clients = static_cast<std::uint32_t>(*c);
      if (m.has("requests"))
        if (auto c = detail::get_count(r, m.get("requests"), "requests", 1, UINT64_MAX / 2)) io.requests = *c;
      if (m.has("think"))
        if (auto d = detail::get_distribution(r, m.get("think"), "think")) io.think = *d;
    }
    if (m.has("size"))
      if (auto b = detail::get_bytes(r, m.get("size"), "size")) {
        if (b->value == 0) r.error(m.get("size"), "key 'size': must be greater than 0");
        io.size = *b;
      }
    if (m.has("read"))
      if (auto p = detail::get_percent(r, m.get("read"), "read")) io.read_fraction = *p;
    if (m.has("pattern"))
      if (auto p = detail::get_string(r, m.get("pattern"), "pattern")) {
        if (*p == "random") io.pattern = IoPattern::Random;
        else if (*p == "sequential") io.pattern = IoPattern::Sequential;
        else r.error(m.get("pattern"), "key 'pattern': unknown value " + q(*p) + "; accepted: random, sequential");
      }
    if (const YAML::Node t = m.required("targets"))
      if (auto names = detail::get_names(r, t, "targets"))
        for (auto& [nm, loc] : *names) io.luns.push_back(Located<std::string>{nm, loc});
    if (m.has("start"))
      if (auto d = detail::get_duration(r, m.get("start"), "start")) io.start = base::at(*d);
    if (m.has("after"))
      if (auto names = detail::get_names(r, m.get("after"), "after"))
        for (auto& [nm, loc] : *names) io.after.push_back(Located<std::string>{nm, loc});
    for (const auto& other : spec.io)
      if (other.name == io.name) r.error(m.has("name") ? m.get("name") : n, "duplicate io load name " + q(io.name));
    spec.io.push_back(std::move(io));
  }

  void workload(const YAML::Node& n) {
    if (!n.IsSequence()) {
      r.error(n, "key 'workload': expected a list of operations ({op: ...}) and loads ({io: ...})");
      return;
    }
    int index = 0, io_index = 0;
    for (const auto& item : n) {
      ++index;
      if (item.IsMap() && item["io"]) {
        MapReader outer(r, item, "workload item " + std::to_string(index), {"io"});
        io_item(item["io"], ++io_index);
        continue;
      }
      MapReader m(r, item, "workload item " + std::to_string(index),
                  {"op", "name", "at", "after", "every", "count", "subsystem", "type", "size", "drives", "hints", "lun",
                   "by"});
      if (!m.ok()) continue;
      if (!m.has("op")) {
        r.error(item, "workload item " + std::to_string(index) + ": needs 'op' (an operation) or 'io' (a load)");
        continue;
      }
      op_item(m, index);
    }
  }

  void metrics(const YAML::Node& n) {
    MapReader m(r, n, "metrics", {"interval", "timeseries", "io"});
    if (!m.ok()) return;
    if (m.has("interval"))
      if (auto d = detail::get_duration(r, m.get("interval"), "interval")) {
        if (d->count() <= 0) r.error(m.get("interval"), "key 'interval': must be greater than 0");
        else spec.metrics.interval = *d;
      }
    if (m.has("timeseries"))
      if (auto b = detail::get_bool(r, m.get("timeseries"), "timeseries")) spec.metrics.timeseries = *b;
    if (m.has("io"))
      if (auto b = detail::get_bool(r, m.get("io"), "io")) spec.metrics.io = *b;
  }

  // -- provider.faults ----------------------------------------------------------------------

  void provider_section(const YAML::Node& n) {
    MapReader m(r, n, "provider", {"faults"});
    if (!m.ok() || !m.has("faults")) return;
    const YAML::Node list = m.get("faults");
    if (!list.IsSequence()) {
      // A missing value has the position of whatever follows: point at the key instead.
      const SourceLoc at = list.IsNull() ? m.key_loc("faults") : r.loc(list);
      r.error(at, "key 'faults': expected a list of faults ('- {op: create_lun, behavior: null_handle, ...}' items), "
                    "found " + detail::describe_kind(list));
      return;
    }
    spec.faults_section = true;
    std::size_t index = 0;
    for (const auto& item : list) fault_item(item, index++);
  }

  void fault_item(const YAML::Node& n, std::size_t index) {
    const std::string what = "provider.faults." + std::to_string(index);
    MapReader m(r, n, what,
                {"op", "behavior", "probability", "nth", "window", "target", "hresult", "at", "factor", "restarts",
                 "forever", "after", "by"});
    if (!m.ok()) return;
    provider::FaultSpec f;
    SourceLoc target_loc;
    if (const YAML::Node v = m.required("op"))
      if (auto name = detail::get_string(r, v, "op")) {
        std::vector<std::string> ops;
        for (int k = 0; k <= static_cast<int>(provider::FaultOp::QueryLuns); ++k)
          ops.emplace_back(provider::to_string(static_cast<provider::FaultOp>(k)));
        if (const auto op = provider::parse_fault_op(*name)) f.op = *op;
        else r.error(v, "key 'op': unknown operation " + q(*name) + hint_for(*name, ops) + "; accepted: " + join(ops));
      }
    bool behavior_ok = false;
    if (const YAML::Node v = m.required("behavior"))
      if (auto name = detail::get_string(r, v, "behavior")) {
        std::vector<std::string> all;
        for (const provider::Behavior b : provider::all_behaviors())
          if (b != provider::Behavior::None) all.emplace_back(provider::to_string(b));
        const auto b = provider::parse_behavior(*name);
        if (b && *b != provider::Behavior::None) {
          f.behavior = *b;
          behavior_ok = true;
        } else {
          r.error(v, "key 'behavior': unknown behavior " + q(*name) + hint_for(*name, all) + "; accepted: " + join(all));
        }
      }
    // triggers
    if (m.has("probability"))
      if (auto p = detail::get_number(r, m.get("probability"), "probability")) {
        if (*p < 0 || *p > 1)
          r.error(m.get("probability"), "key 'probability': " + m.get("probability").Scalar() +
                                            " is out of range (accepted: from 0 to 1)");
        else f.probability = *p;
      }
    if (m.has("nth"))
      if (auto c = detail::get_count(r, m.get("nth"), "nth", 1, UINT64_MAX)) f.nth = *c;
    if (m.has("window")) {
      MapReader w(r, m.get("window"), what + " window", {"from", "to"});
      if (w.ok()) {
        if (w.node().size() == 0)
          r.error(w.node(), what + " window: give 'from', 'to' or both (durations such as 10s, 1h)");
        std::optional<base::Duration> from, to;
        if (w.has("from")) from = detail::get_duration(r, w.get("from"), "from");
        if (w.has("to")) to = detail::get_duration(r, w.get("to"), "to");
        if (from) f.from = base::at(*from);
        if (to) f.to = base::at(*to);
        if (from && to && !(*from < *to)) {
          r.error(w.get("to"), "key 'to': " + w.get("to").Scalar() + " is not after 'from' (" + w.get("from").Scalar() +
                                   "); a window needs from < to");
          f.from.reset();
          f.to.reset();
        }
      }
    }
    if (m.has("target"))
      if (auto t = detail::get_string(r, m.get("target"), "target")) {
        f.target = *t;
        target_loc = r.loc(m.get("target"));
      }
    // parameters, each for the behaviours it applies to
    using provider::Behavior;
    struct Param {
      const char* key;
      std::vector<Behavior> behaviors;
    };
    static const std::vector<Param> params = {
        {"hresult", {Behavior::OpFails, Behavior::WaitFails, Behavior::SyncErrorWithHandle}},
        {"at", {Behavior::OpFails, Behavior::PercentRegresses}},
        {"factor", {Behavior::Slow}},
        {"restarts", {Behavior::RestartLoop}},
        {"forever", {Behavior::RestartLoop}},
        {"after", {Behavior::CompletesTwice}},
        {"by", {Behavior::SizeRoundedDown}},
    };
    std::set<std::string> rejected;  // parameters given for a behaviour they do not apply to: not read further
    for (const Param& p : params) {
      if (!m.has(p.key) || !behavior_ok) continue;
      if (std::find(p.behaviors.begin(), p.behaviors.end(), f.behavior) != p.behaviors.end()) continue;
      std::vector<std::string> to;
      for (const Behavior b : p.behaviors) to.emplace_back(provider::to_string(b));
      r.error(m.key_loc(p.key), "key " + q(p.key) + " does not apply to behavior " + q(provider::to_string(f.behavior)) +
                                    " (it applies to: " + join(to) + ")");
      rejected.insert(p.key);
    }
    auto given = [&](const char* key) { return m.has(key) && rejected.count(key) == 0; };
    if (given("hresult"))
      if (auto text = detail::get_string(r, m.get("hresult"), "hresult")) {
        const YAML::Node v = m.get("hresult");
        if (const auto h = provider::parse_hresult(*text)) {
          if (h->succeeded())
            r.error(v, "key 'hresult': " + provider::describe(*h) + " is a success code; " +
                           (behavior_ok ? std::string(provider::to_string(f.behavior)) : std::string("a fault")) +
                           " needs a failure HRESULT (0x8xxxxxxx) such as VDS_E_PROVIDER_FAILURE or VDS_E_TIMEOUT");
          else f.hresult = *h;
        } else {
          std::vector<std::string> known;
          for (const provider::HResultName& hn : provider::all_hresults()) known.emplace_back(hn.name);
          r.error(v, "key 'hresult': unknown HRESULT " + q(*text) + hint_for(*text, known) +
                         "; accepted: a name such as VDS_E_TIMEOUT or a hexadecimal value such as 0x8004245F");
        }
      }
    if (given("at"))
      if (auto p = detail::get_percent(r, m.get("at"), "at")) f.at_fraction = *p;
    if (given("factor"))
      if (auto x = detail::get_number(r, m.get("factor"), "factor")) {
        if (!(*x > 0)) r.error(m.get("factor"), "key 'factor': must be greater than 0");
        else f.factor = *x;
      }
    if (given("restarts"))
      if (auto c = detail::get_count(r, m.get("restarts"), "restarts", 1, 1'000'000))
        f.restarts = static_cast<std::uint32_t>(*c);
    if (given("forever"))
      if (auto b = detail::get_bool(r, m.get("forever"), "forever")) {
        f.forever = *b;
        if (*b && given("restarts"))
          r.error(m.key_loc("restarts"), "key 'restarts' contradicts 'forever: true' (a loop that never ends has no "
                                         "count); give one or the other");
        if (*b && spec.horizon == base::never)
          r.error(m.get("forever"), "key 'forever': a job that restarts forever keeps the drives busy, so the run "
                                    "never ends: give the scenario a 'horizon'");
      }
    if (given("after"))
      if (auto d = detail::get_duration(r, m.get("after"), "after")) {
        if (d->count() < 0) r.error(m.get("after"), "key 'after': must not be negative");
        else f.after = *d;
      }
    if (given("by"))
      if (auto b = detail::get_bytes(r, m.get("by"), "by")) {
        if (b->value == 0) r.error(m.get("by"), "key 'by': must be greater than 0");
        else f.by = b->value;
      }
    spec.faults.push_back(std::move(f));
    spec.fault_locs.push_back(r.loc(n));
    fault_targets.push_back(target_loc);
  }

  /// A fault's `target:` names a subsystem (create_lun calls are made on one) or a LUN created by
  /// the workload (extend_lun, shrink_lun and delete_lun calls are made on one).
  void check_fault_targets(const std::vector<std::string>& subsystem_names, const std::vector<std::string>& creates) {
    for (std::size_t i = 0; i < spec.faults.size(); ++i) {
      const provider::FaultSpec& f = spec.faults[i];
      if (f.target.empty()) continue;
      const SourceLoc& at = fault_targets[i];
      const bool is_subsystem =
          std::find(subsystem_names.begin(), subsystem_names.end(), f.target) != subsystem_names.end();
      const bool is_lun = std::find(creates.begin(), creates.end(), f.target) != creates.end();
      const std::string subsystems = "a subsystem (" + join(subsystem_names) + ")";
      const std::string luns = "a LUN (" + (creates.empty() ? std::string("none is created") : join(creates)) + ")";
      const std::string op = provider::to_string(f.op);
      if (!is_subsystem && !is_lun) {
        std::vector<std::string> pool = subsystem_names;
        pool.insert(pool.end(), creates.begin(), creates.end());
        r.error(at, "key 'target': unknown target " + q(f.target) + hint_for(f.target, pool) + "; accepted: " +
                        subsystems + " or " + luns);
      } else if (f.op == provider::FaultOp::CreateLun && !is_subsystem) {
        r.error(at, "key 'target': " + q(f.target) + " is a LUN, but create_lun is called on a subsystem; accepted: " +
                        subsystems);
      } else if ((f.op == provider::FaultOp::ExtendLun || f.op == provider::FaultOp::ShrinkLun ||
                  f.op == provider::FaultOp::DeleteLun) && !is_lun) {
        r.error(at, "key 'target': " + q(f.target) + " is a subsystem, but " + op + " is called on a LUN; accepted: " +
                        luns);
      }
    }
  }

  // -- cross references --------------------------------------------------------------------

  std::vector<std::string> names_of_creates() const {
    std::vector<std::string> v;
    for (const auto& op : spec.ops)
      if (op.kind == OpKind::CreateLun) v.push_back(op.name);
    return v;
  }

  void cross_check() {
    std::vector<std::string> subsystem_names;
    for (const auto& s : spec.subsystems) subsystem_names.push_back(s.name);
    std::vector<std::string> all_ops;
    for (const auto& [n, loc] : op_names) all_ops.push_back(n);
    const auto creates = names_of_creates();
    std::vector<std::string> drives;
    for (const auto& [n, loc] : drive_names) drives.push_back(n);

    std::map<std::string, std::uint32_t> enclosure_sizes;
    for (const auto& s : spec.subsystems)
      for (const auto& e : s.enclosures) enclosure_sizes.emplace(e.name, e.count);
    std::vector<std::string> enclosures;
    for (const auto& [n, count] : enclosure_sizes) enclosures.push_back(n);

    // "key 'after': unknown operation 'y' (did you mean 'x'?)", or the names defined when few.
    auto unknown = [&](const base::SourceLoc& at, std::string_view key, const std::string& what,
                       const std::string& name, const std::vector<std::string>& pool) {
      std::string message = "key " + q(key) + ": unknown " + what + " " + q(name);
      const std::string hint = hint_for(name, pool);
      if (!hint.empty()) message += hint;
      else if (pool.empty()) message += " (none is defined)";
      else if (pool.size() <= 12) message += "; defined: " + join(pool);
      r.error(at, message);
    };
    // Drives are named <enclosure>/<index>: say which part is wrong.
    auto drive_problem = [&](const std::string& name) -> std::string {
      const auto slash = name.rfind('/');
      if (slash == std::string::npos)
        return " (drives are named <enclosure>/<index>" +
               (drives.empty() ? std::string(")") : ", e.g. " + q(drives.front()) + ")");
      const std::string encl = name.substr(0, slash);
      const auto e = enclosure_sizes.find(encl);
      if (e == enclosure_sizes.end())
        return ": no enclosure " + q(encl) + hint_for(encl, enclosures) +
               (enclosures.empty() ? "" : "; enclosures: " + join(enclosures));
      if (e->second == 0) return "";
      return " (enclosure " + q(encl) + " has drives " + encl + "/0 to " + encl + "/" + std::to_string(e->second - 1) + ")";
    };
    std::set<base::SourceLoc> reported;  // `every:` copies share their position: one message each
    for (auto& op : spec.ops) {
      if (!reported.insert(op.loc).second) continue;
      if (!op.subsystem.empty()) {
        if (std::find(subsystem_names.begin(), subsystem_names.end(), op.subsystem) == subsystem_names.end())
          unknown(op.subsystem_loc, "subsystem", "subsystem", op.subsystem, subsystem_names);
      } else if (spec.subsystems.size() > 1) {
        r.error(op.loc, "operation " + q(op.name) + ": name its 'subsystem' (the scenario has " +
                            std::to_string(spec.subsystems.size()) + ": " + join(subsystem_names) + ")");
      }
      for (const auto& a : op.after)
        if (op_names.count(a.value) == 0) unknown(a.loc, "after", "operation", a.value, all_ops);
      for (const auto& d : op.drives)
        if (drive_names.count(d.value) == 0) r.error(d.loc, "key 'drives': unknown drive " + q(d.value) + drive_problem(d.value));
      if (op.kind != OpKind::CreateLun && !op.lun.value.empty() &&
          std::find(creates.begin(), creates.end(), op.lun.value) == creates.end())
        unknown(op.lun.loc, "lun", "LUN", op.lun.value, creates);
    }
    for (const auto& io : spec.io) {
      for (const auto& t : io.luns)
        if (std::find(creates.begin(), creates.end(), t.value) == creates.end() && drive_names.count(t.value) == 0 &&
            enclosure_names.count(t.value) == 0) {
          std::vector<std::string> pool = creates;
          pool.insert(pool.end(), enclosures.begin(), enclosures.end());
          std::string message = "key 'targets': unknown target " + q(t.value);
          if (t.value.find('/') != std::string::npos) message += drive_problem(t.value);
          else message += hint_for(t.value, pool);
          message += "; accepted: a LUN (" + (creates.empty() ? std::string("none is created") : join(creates)) +
                     "), an enclosure (" + join(enclosures) + ") or a drive (<enclosure>/<index>)";
          r.error(t.loc, message);
        }
      for (const auto& a : io.after)
        if (op_names.count(a.value) == 0) unknown(a.loc, "after", "operation", a.value, all_ops);
    }
    check_fault_targets(subsystem_names, creates);
    check_cycles();
  }

  std::vector<std::string> expand(const std::string& name) const {
    const auto g = groups.find(name);
    return g == groups.end() ? std::vector<std::string>{name} : g->second;
  }

  void check_cycles() {
    std::map<std::string, const OpSpec*> by_name;
    for (const auto& op : spec.ops) by_name[op.name] = &op;
    std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
    std::vector<std::string> stack;
    std::set<std::string> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& n) {
      state[n] = 1;
      stack.push_back(n);
      const OpSpec* op = by_name[n];
      for (const auto& a : op->after)
        for (const std::string& dep : expand(a.value)) {
          if (by_name.count(dep) == 0) continue;
          if (state[dep] == 1) {
            const auto from = std::find(stack.begin(), stack.end(), dep);
            std::string cycle;
            std::string key;
            for (auto it = from; it != stack.end(); ++it) {
              cycle += *it + " (line " + std::to_string(by_name[*it]->loc.line) + ") -> ";
              key += *it + ",";
            }
            cycle += dep;
            if (reported.insert(key).second)
              r.error(by_name[dep]->loc, "key 'after': dependency cycle " + cycle + " (each operation waits for the next)");
          } else if (state[dep] == 0) {
            visit(dep);
          }
        }
      stack.pop_back();
      state[n] = 2;
    };
    for (const auto& op : spec.ops)
      if (state[op.name] == 0) visit(op.name);
  }

  void expand_after() {
    for (auto& op : spec.ops) {
      std::vector<Located<std::string>> flat;
      for (const auto& a : op.after)
        for (const auto& n : expand(a.value)) flat.push_back(Located<std::string>{n, a.loc});
      op.after = std::move(flat);
    }
    for (auto& io : spec.io) {
      std::vector<Located<std::string>> flat;
      for (const auto& a : io.after)
        for (const auto& n : expand(a.value)) flat.push_back(Located<std::string>{n, a.loc});
      io.after = std::move(flat);
    }
  }
};

} // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  return best_d <= limit ? best : std::string();
}

LoadResult load_scenario(std::string_view text, std::string file, const LoadOptions& options) {
  LoadResult result;
  Reader r(file);
  r.base_dir = std::filesystem::path(file).parent_path();
  detail::YamlError syntax;
  std::optional<YAML::Node> parsed = detail::parse_yaml(text, syntax);
  if (!parsed) {
    r.error(base::SourceLoc{file, syntax.line + 1, syntax.column + 1}, "YAML syntax error: " + syntax.message);
    result.diagnostics = r.take_diagnostics();
    return result;
  }
  YAML::Node root = *parsed;
  for (const auto& o : options.sets) apply_override(r, root, o);
  if (!root || root.IsNull()) {
    r.error(base::SourceLoc{file, 1, 1}, "empty scenario: expected a map with at least 'name', 'drive_models' and 'subsystems'");
    result.diagnostics = r.take_diagnostics();
    return result;
  }
  ScenarioSpec spec;
  spec.file = file;
  spec.text = std::string(text);
  Loader l(r, spec);
  MapReader top(r, root, "scenario",
                {"schema_version", "name", "seed", "horizon", "drive_models", "subsystems", "provider", "workload",
                 "metrics"});
  if (top.ok()) {
    if (top.has("schema_version"))
      detail::get_count(r, top.get("schema_version"), "schema_version", 1, 1);
    if (const YAML::Node n = top.required("name"))
      if (auto s = detail::get_string(r, n, "name")) spec.name = *s;
    if (top.has("seed"))
      if (auto s = detail::get_count(r, top.get("seed"), "seed", 0, UINT64_MAX)) spec.seed = *s;
    if (top.has("horizon"))
      if (auto d = detail::get_duration(r, top.get("horizon"), "horizon")) {
        if (d->count() <= 0) r.error(top.get("horizon"), "key 'horizon': must be greater than 0");
        spec.horizon = base::at(*d);
      }
    if (const YAML::Node n = top.required("drive_models")) l.drive_models(n);
    if (const YAML::Node n = top.required("subsystems")) l.subsystems(n);
    if (top.has("workload")) l.workload(top.get("workload"));
    if (top.has("metrics")) l.metrics(top.get("metrics"));
    if (top.has("provider")) l.provider_section(top.get("provider"));
    l.cross_check();
    l.expand_after();
  }
  if (options.seed) spec.seed = *options.seed;
  result.diagnostics = r.take_diagnostics();
  if (!base::has_errors(result.diagnostics)) result.spec = std::move(spec);
  return result;
}

LoadResult load_scenario_file(const std::filesystem::path& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.diagnostics.push_back(base::Diagnostic::error(base::SourceLoc{path.string(), 0, 0}, "cannot read the scenario file"));
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return load_scenario(ss.str(), path.string(), options);
}

const char* to_string(OpKind k) {
  switch (k) {
    case OpKind::CreateLun: return "create_lun";
    case OpKind::ExtendLun: return "extend_lun";
    case OpKind::ShrinkLun: return "shrink_lun";
    case OpKind::DeleteLun: return "delete_lun";
  }
  return "unknown";
}

} // namespace sim::scenario
