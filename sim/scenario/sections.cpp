// The scenario's sections: drive models, subsystems (enclosures, drives), the workload
// (operations, `every:` groups, io loads) and metrics settings.
#include "sim/scenario/loader_sections.hpp"

#include "sim/provider/vds_types.hpp"

#include <cctype>
#include <initializer_list>

namespace sim::scenario::detail {

namespace {
constexpr base::NameTable<bool, 2> init_names{{{{true, "full"}, {false, "none"}}}};
} // namespace

void Loader::drive_models(const YAML::Node& n) {
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
    if (name.starts_with("preset/")) {
      r.error(kv.first, "drive model " + q(name) + ": names starting with 'preset/' are the presets' (use " +
                            "'preset: " + name.substr(7) + "' in a model of another name to start from one)");
      continue;
    }
    drive_model(name, r.loc(kv.first), kv.second);
  }
}

void Loader::drive_model(const std::string& name, base::SourceLoc loc, YAML::Node body) {
  DriveModelSpec d;
  d.name = name;
  d.loc = loc;
  // `preset: NAME`: the preset's keys, then this model's own over them, key by key.
  if (body.IsMap() && body["preset"]) {
    const YAML::Node p = body["preset"];
    const auto preset_name = detail::get_string(r, p, "preset");
    const DrivePreset* preset = preset_name ? find_preset(*preset_name) : nullptr;
    if (preset_name && preset == nullptr) {
      std::vector<std::string> names;
      for (const DrivePreset& x : drive_presets()) names.emplace_back(x.name);
      r.error(p, "key 'preset': unknown drive preset " + q(*preset_name) + hint_for(*preset_name, names) +
                     "; accepted: " + join(names));
    }
    if (preset == nullptr) {
      spec.drive_models.push_back(std::move(d));  // known by name: references to it are not errors too
      return;
    }
    YAML::Node merged = YAML::Load(std::string(preset->yaml));
    r.relocate(merged, r.loc(p));  // the preset's values are reported at the `preset` key
    // A model's `latency` sets both laws: it replaces the preset's read_latency and write_latency.
    if (body["latency"]) {
      merged.remove("read_latency");
      merged.remove("write_latency");
    }
    for (const auto& kv : body)
      if (kv.first.Scalar() != "preset") merged[kv.first.Scalar()] = kv.second;
    d.preset = preset->name;
    body = merged;
  }
  MapReader m(r, body, "drive model " + q(name),
              {"capacity", "bandwidth", "latency", "read_latency", "write_latency", "lifetime", "age", "latent_errors",
               "rpm", "zones", "media_rate", "seek", "write_bandwidth", "write_buffer", "preset"});
  if (!m.ok()) {
    spec.drive_models.push_back(std::move(d));  // known by name: references to it are not errors too
    return;
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
  if (m.has("lifetime")) {
    d.lifetime = lifetime_law(m.get("lifetime"));
    d.random_loc = m.key_loc("lifetime");
  }
  if (m.has("age")) {
    if (!m.has("lifetime")) r.error(m.key_loc("age"), "key 'age' needs 'lifetime' (the law the age conditions)");
    if (auto a = detail::get_duration(r, m.get("age"), "age")) d.age = *a;
  }
  if (m.has("latent_errors")) {
    d.latent_errors = latent_error_law(m.get("latent_errors"));
    if (!d.lifetime) d.random_loc = m.key_loc("latent_errors");
  }
  disk_mechanics(m, d);
  if (m.has("write_bandwidth")) {
    if (d.mechanics || m.has("rpm")) r.error(m.key_loc("write_bandwidth"), "key 'write_bandwidth' is a flash model's (a disk's writes go at its media rate)");
    if (auto b = detail::get_rate(r, m.get("write_bandwidth"), "write_bandwidth")) d.write_bandwidth = *b;
  }
  if (m.has("write_buffer")) {
    if (d.mechanics || m.has("rpm")) r.error(m.key_loc("write_buffer"), "key 'write_buffer' is a flash model's");
    MapReader w(r, m.get("write_buffer"), "key 'write_buffer'", {"size", "sustained"});
    if (w.ok()) {
      const auto size = detail::get_bytes(r, w.required("size"), "size");
      const auto sustained = detail::get_rate(r, w.required("sustained"), "sustained");
      if (sustained && (sustained->bytes_per_second == 0 || sustained->is_unlimited()))
        r.error(w.get("sustained"), "key 'sustained': expected a finite rate above 0 (the write rate once the buffer is full)");
      else if (size && sustained) d.write_buffer = storage::WriteBuffer{*size, *sustained};
    }
  }
  spec.drive_models.push_back(std::move(d));
}

void Loader::disk_mechanics(const MapReader& m, DriveModelSpec& d) {
  const bool any = m.has("rpm") || m.has("media_rate") || m.has("seek") || m.has("zones");
  if (!any) return;
  for (const char* key : {"rpm", "media_rate", "seek"})
    if (!m.has(key))
      r.error(m.node(), m.what() + ": a disk model (with 'rpm', 'media_rate', 'seek' or 'zones') needs " + q(key) +
                            " too");
  if (m.has("bandwidth"))
    r.error(m.key_loc("bandwidth"), "key 'bandwidth' does not apply to a disk model (its 'media_rate' gives the transfer rate)");
  storage::DiskMechanicsSpec s;
  s.capacity = d.capacity;
  bool ok = d.capacity.value > 0;
  if (m.has("rpm")) {
    const auto rpm = detail::get_number(r, m.get("rpm"), "rpm");
    if (rpm && !(*rpm >= 1 && *rpm <= 1e6)) r.error(m.get("rpm"), "key 'rpm': expected revolutions per minute from 1 to 1000000 (e.g. 7200)");
    ok = ok && rpm && *rpm >= 1 && *rpm <= 1e6;
    if (rpm) s.rpm = *rpm;
  }
  if (m.has("zones")) {
    const auto z = detail::get_count(r, m.get("zones"), "zones", 1, 1024);
    ok = ok && z;
    if (z) s.zones = static_cast<std::uint32_t>(*z);
  }
  if (const YAML::Node v = m.get("media_rate")) {
    if (v.IsScalar()) {
      const auto rate = detail::get_rate(r, v, "media_rate");
      ok = ok && rate;
      if (rate) s.outer = s.inner = *rate;
    } else {
      MapReader mr(r, v, "key 'media_rate'", {"outer", "inner"});
      const auto outer = mr.ok() ? detail::get_rate(r, mr.required("outer"), "outer") : std::nullopt;
      const auto inner = mr.ok() ? detail::get_rate(r, mr.required("inner"), "inner") : std::nullopt;
      ok = ok && outer && inner;
      if (outer && inner) {
        s.outer = *outer;
        s.inner = *inner;
      }
    }
  }
  if (const YAML::Node v = m.get("seek")) {
    MapReader sk(r, v, "key 'seek'", {"average", "track_to_track", "full_stroke", "write", "curve"});
    if (sk.ok()) {
      if (sk.has("average"))
        if (auto a = detail::get_duration(r, sk.get("average"), "average")) s.average_seek = *a;
      if (sk.has("track_to_track"))
        if (auto a = detail::get_duration(r, sk.get("track_to_track"), "track_to_track")) s.track_to_track = *a;
      if (sk.has("full_stroke"))
        if (auto a = detail::get_duration(r, sk.get("full_stroke"), "full_stroke")) s.full_stroke = *a;
      if (sk.has("write")) {
        const auto w = detail::get_duration(r, sk.get("write"), "write");
        if (w && s.average_seek && *w < *s.average_seek)
          r.error(sk.get("write"), "key 'write': the average write seek cannot be shorter than the average (read) seek");
        else if (w && s.average_seek) s.write_settle = *w - *s.average_seek;
        else if (w) r.error(sk.key_loc("write"), "key 'write' needs 'average' (the write seek is the read seek plus the difference)");
      }
      if (const YAML::Node c = sk.get("curve")) {
        if (!c.IsSequence() || c.size() == 0) {
          r.error(c, "key 'curve': expected a list of [fraction of the stroke, seek time] points, e.g. [[0.01, 1ms], [0.33, 8ms], [1, 16ms]]");
          ok = false;
        }
        for (const auto& point : c) {
          if (!point.IsSequence() || point.size() != 2) {
            r.error(point, "key 'curve': expected a point [fraction of the stroke, seek time], found " + describe_kind(point));
            ok = false;
            continue;
          }
          const auto x = detail::get_number(r, point[0], "curve");
          const auto t = detail::get_duration(r, point[1], "curve");
          if (x && t) s.curve.emplace_back(*x, *t);
          else ok = false;
        }
        if (sk.has("track_to_track") || sk.has("full_stroke"))
          r.error(sk.key_loc("curve"), "key 'curve' replaces 'track_to_track' and 'full_stroke' (give the curve, and "
                                       "'average' to scale it)");
      } else if (!sk.has("average")) {
        r.error(v, "key 'seek': needs 'average' (the datasheet's average seek) or a 'curve'");
        ok = false;
      }
    } else {
      ok = false;
    }
  }
  if (!ok || !m.has("rpm") || !m.has("media_rate") || !m.has("seek")) return;
  auto [mech, why] = storage::DiskMechanics::make(s);
  if (!mech) {
    r.error(m.get("seek"), "key 'seek': " + why);
    return;
  }
  d.mechanics = std::make_shared<const storage::DiskMechanics>(std::move(*mech));
}

const DriveModelSpec* Loader::model(std::string_view name) const {
  for (const auto& m : spec.drive_models)
    if (m.name == name) return &m;
  return nullptr;
}

void Loader::subsystems(const YAML::Node& n) {
  if (!n.IsSequence()) {
    r.error(n, "key 'subsystems': expected a list of subsystems ('- name: ...' items), found " + detail::describe_kind(n));
    return;
  }
  int index = 0;
  for (const auto& item : n) {
    ++index;
    MapReader m(r, item, "subsystem " + std::to_string(index),
                {"name", "management_latency", "provisioning_priority", "chunk_size", "init", "controllers",
                 "placement", "enclosures"});
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
      if (auto v = get_choice(r, m.get("init"), "init", init_names)) s.initialize = *v;
    if (m.has("placement")) {
      if (auto p = get_choice(r, m.get("placement"), "placement", storage::placement_names, "policy")) s.placement = *p;
      s.placement_loc = r.loc(m.get("placement"));
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
                  if (models_ok && model(*mname) == nullptr && mname->starts_with("preset/") &&
                      find_preset(mname->substr(7)) != nullptr) {
                    // `model: preset/NAME`: the preset as it is, a model of that name.
                    YAML::Node body(YAML::NodeType::Map);
                    body["preset"] = mname->substr(7);
                    r.relocate(body, r.loc(mv));
                    drive_model(*mname, r.loc(mv), body);
                  }
                  if (models_ok && model(*mname) == nullptr) {
                    std::vector<std::string> names, presets;
                    for (const auto& dmod : spec.drive_models) names.push_back(dmod.name);
                    for (const DrivePreset& p : drive_presets()) presets.push_back("preset/" + std::string(p.name));
                    std::vector<std::string> all = names;
                    all.insert(all.end(), presets.begin(), presets.end());
                    r.error(mv, "key 'model': unknown drive model " + q(*mname) + hint_for(*mname, all) +
                                    (names.empty() ? "; no drive_models are defined" : "; defined: " + join(names)) +
                                    "; presets: " + join(presets));
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
    for (const auto& e : s.enclosures) drive_names.add(e.name, e.count);
}

void Loader::add_op(OpSpec op, const YAML::Node& at_node) {
  if (const auto [first, fresh] = op_names.emplace(op.name, op.loc); !fresh) {
    r.error(at_node, "duplicate operation name " + q(op.name) + " (" + first_at(first->second) + ")");
    return;
  }
  spec.ops.push_back(std::move(op));
}

void Loader::op_item(const MapReader& m, int index) {
  OpSpec op;
  op.loc = r.loc(m.node());
  const YAML::Node kind_node = m.get("op");
  const auto kind = detail::get_string(r, kind_node, "op");
  if (!kind) return;
  if (const auto k = op_kind_names.parse(*kind)) op.kind = *k;
  else {
    r.error(kind_node, "key 'op': unknown operation " + q(*kind) + hint_for(*kind, op_kind_names.names()) +
                           "; accepted: " + op_kind_names.accepted());
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
          if (!lt) r.error(t, "key 'type': unknown LUN type " + q(*tn) + hint_for(*tn, provider::lun_type_short_names()) +
                                  "; accepted: " + provider::modelled_lun_types() + " (or a VDS_LT_ name)");
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
    case OpKind::RecoverLun:
      if (op.kind != OpKind::ExtendLun && op.kind != OpKind::ShrinkLun) forbid({"type", "size", "drives", "hints", "by"});
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
    if (step->count() < 0) {  // 0s: all at once
      r.error(every, "key 'every': must not be negative");
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

void Loader::io_item(const YAML::Node& n, int index) {
  MapReader m(r, n, "io load", {"name", "clients", "requests", "think", "rate", "size", "read", "pattern",
                                "targets", "start", "after", "stop", "trace", "format", "map", "timing", "speed",
                                "depth"});
  if (!m.ok()) return;
  IoSpec io;
  io.loc = r.loc(n);
  io.name = "io-" + std::to_string(index);
  if (m.has("name"))
    if (auto s = detail::get_string(r, m.get("name"), "name")) io.name = *s;
  if (m.has("trace")) {
    trace_load(m, io);
  } else {
    for (const char* key : {"format", "map", "timing", "speed", "depth"})
      if (m.has(key)) r.error(m.key_loc(key), "key " + q(key) + " applies to trace loads (with 'trace: FILE') only");
    synthetic_load(m, io);
  }
  if (m.has("start"))
    if (auto d = detail::get_duration(r, m.get("start"), "start")) io.start = base::at(*d);
  if (m.has("after"))
    if (auto names = detail::get_names(r, m.get("after"), "after"))
      for (auto& [nm, loc] : *names) io.after.push_back(Located<std::string>{nm, loc});
  for (const auto& other : spec.io)
    if (other.name == io.name) r.error(m.has("name") ? m.get("name") : n, "duplicate io load name " + q(io.name));
  spec.io.push_back(std::move(io));
}

void Loader::synthetic_load(const MapReader& m, IoSpec& io) {
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
    if (auto p = get_choice(r, m.get("pattern"), "pattern", io_pattern_names)) io.pattern = *p;
  if (const YAML::Node t = m.required("targets"))
    if (auto names = detail::get_names(r, t, "targets"))
      for (auto& [nm, loc] : *names) io.luns.push_back(Located<std::string>{nm, loc});
}

void Loader::workload(const YAML::Node& n) {
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

void Loader::metrics(const YAML::Node& n) {
  MapReader m(r, n, "metrics", {"interval", "timeseries", "io"});
  if (!m.ok()) return;
  spec.metrics.loc = r.loc(n);
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

} // namespace sim::scenario::detail
