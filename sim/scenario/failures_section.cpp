#include "sim/scenario/loader_sections.hpp"

#include "sim/base/units.hpp"

#include <charconv>
#include <cmath>

namespace sim::scenario::detail {

std::optional<engine::Distribution> Loader::lifetime_law(const YAML::Node& v) {
  std::optional<engine::Distribution> law;
  if (v.IsMap() && (v["afr"] || v["mttf"])) {
    MapReader m(r, v, "key 'lifetime'", {"afr", "mttf"});
    if (!m.ok()) return std::nullopt;
    if (m.has("afr") && m.has("mttf")) {
      r.error(m.key_loc("mttf"), "key 'lifetime': give 'afr' or 'mttf', not both");
      return std::nullopt;
    }
    if (m.has("afr")) {
      const auto afr = get_percent(r, m.get("afr"), "afr");
      if (!afr) return std::nullopt;
      if (!(*afr > 0)) {
        r.error(m.get("afr"), "key 'afr': must be greater than 0% (failures per drive-year of 365 days)");
        return std::nullopt;
      }
      // AFR is a rate: afr failures per 365-day drive-year, so the mean life is 365 d / afr (it may
      // exceed the 292 years of the time range: such draws mean "never fails").
      const double mean_s = 365.0 * 86400.0 / *afr;
      if (mean_s * 1e9 < 9.2e18)
        law = engine::Distribution::exponential(base::Duration{static_cast<std::int64_t>(std::llround(mean_s * 1e9))});
      else law = engine::Distribution::exponential_seconds(mean_s);
    } else {
      const auto mttf = get_duration(r, m.get("mttf"), "mttf");
      if (!mttf) return std::nullopt;  // beyond 292 years: `afr` takes lower rates
      if (mttf->count() <= 0) {
        r.error(m.get("mttf"), "key 'mttf': must be greater than 0");
        return std::nullopt;
      }
      law = engine::Distribution::exponential(*mttf);
    }
  } else if (!v.IsMap()) {
    r.error(v, "key 'lifetime': expected {afr: 2%}, {mttf: 1000000h} or a distribution map {dist: exponential, "
               "weibull, ...}, found " + describe_kind(v));
    return std::nullopt;
  } else {
    law = get_distribution(r, v, "lifetime");
  }
  if (law && !(law->mean_seconds() > 0)) {
    r.error(v, "key 'lifetime': the mean life must be greater than 0 (drives that fail at once would fail again as "
               "soon as replaced)");
    return std::nullopt;
  }
  return law;
}

std::optional<storage::LatentErrorLaw> Loader::latent_error_law(const YAML::Node& v) {
  MapReader e(r, v, "latent_errors", {"interval", "scrub"});
  if (!e.ok()) return std::nullopt;
  storage::LatentErrorLaw law;
  bool ok = true;
  if (const YAML::Node iv = e.required("interval")) {
    if (auto d = get_distribution(r, iv, "interval")) {
      if (!(d->mean_seconds() > 0)) {
        r.error(iv, "key 'interval': the mean time between latent errors must be greater than 0");
        ok = false;
      } else law.interval = *d;
    } else ok = false;
  } else ok = false;
  if (e.has("scrub")) {
    if (auto d = get_distribution(r, e.get("scrub"), "scrub")) law.scrub = *d;
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return law;
}

void Loader::failures_section(const YAML::Node& n) {
  FailuresSpec& f = spec.failures;
  f.present = true;
  f.loc = r.loc(n);
  if (n.IsNull()) return;
  MapReader m(r, n, "failures", {"lifetime", "age", "drives", "inject", "latent_errors", "ure"});
  if (!m.ok()) return;
  if (m.has("lifetime")) {
    f.lifetime = lifetime_law(m.get("lifetime"));
    f.random_loc = m.key_loc("lifetime");
  }
  if (m.has("age")) {
    if (!m.has("lifetime")) r.error(m.key_loc("age"), "key 'age' needs 'lifetime' (the law the age conditions)");
    if (auto d = get_duration(r, m.get("age"), "age")) f.age = *d;
  }
  if (m.has("drives")) {
    if (!m.has("lifetime")) r.error(m.key_loc("drives"), "key 'drives' needs 'lifetime' (the drives it applies to)");
    if (auto names = get_names(r, m.get("drives"), "drives"))
      for (auto& [name, loc] : *names) f.drives.push_back(Located<std::string>{name, loc});
  }
  if (m.has("inject")) {
    const YAML::Node list = m.get("inject");
    if (!list.IsSequence()) {
      r.error(list, "key 'inject': expected a list of {at: TIME, drive: NAME}, found " + describe_kind(list));
    } else {
      for (const YAML::Node& item : list) {
        MapReader e(r, item, "inject item", {"at", "drive"});
        if (!e.ok()) continue;
        InjectionSpec inj;
        const YAML::Node at = e.required("at"), drive = e.required("drive");
        if (!at || !drive) continue;
        if (auto d = get_duration(r, at, "at")) inj.at = base::at(*d);
        inj.at_loc = r.loc(at);
        if (auto s = get_string(r, drive, "drive")) inj.drive = Located<std::string>{*s, r.loc(drive)};
        f.inject.push_back(std::move(inj));
      }
    }
  }
  if (m.has("latent_errors")) {
    f.latent_errors = latent_error_law(m.get("latent_errors"));
    if (!f.lifetime) f.random_loc = m.key_loc("latent_errors");
  }
  if (m.has("ure")) {
    // A probability per bit read, written as engineers do: 1e-15, 1E-14 or 0.000001.
    const YAML::Node u = m.get("ure");
    const std::string text = u.IsScalar() ? u.Scalar() : std::string();
    double x = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    if (!u.IsScalar() || text.empty() || ec != std::errc() || end != text.data() + text.size() || !(x >= 0 && x < 1))
      r.error(u, "key 'ure': expected a probability per bit read from 0 to below 1, such as 1e-15, found " +
                     describe_kind(u));
    else spec.repair.ure_per_bit = x;
  }
}

void Loader::repair_section(const YAML::Node& n) {
  spec.repair_section = true;
  if (n.IsNull()) return;
  MapReader m(r, n, "repair", {"replace_after", "rebuild", "policy", "spares", "automatic", "restore_after_loss"});
  if (!m.ok()) return;
  storage::RepairConfig& c = spec.repair;
  if (m.has("replace_after"))
    if (auto d = get_distribution(r, m.get("replace_after"), "replace_after")) c.replace_after = *d;
  if (m.has("rebuild")) {
    const YAML::Node v = m.get("rebuild");
    MapReader b(r, v, "rebuild", {"mode", "duration"});
    if (b.ok()) {
      if (b.has("mode") && b.has("duration")) {
        r.error(b.key_loc("duration"), "key 'rebuild': give 'mode' (io, coarse) or 'duration' (a law), not both");
      } else if (b.has("duration")) {
        if (auto d = get_distribution(r, b.get("duration"), "duration")) {
          c.mode = storage::RebuildMode::Law;
          c.rebuild_duration = *d;
        }
      } else if (b.has("mode")) {
        if (auto mode = get_choice(r, b.get("mode"), "mode", storage::rebuild_mode_names, "rebuild mode")) c.mode = *mode;
      }
    }
  }
  if (m.has("policy"))
    if (auto p = get_choice(r, m.get("policy"), "policy", storage::repair_policy_names)) c.policy = *p;
  if (m.has("spares"))
    if (auto sc = get_choice(r, m.get("spares"), "spares", storage::spare_scope_names)) c.spare_scope = *sc;
  static constexpr base::NameTable<bool, 2> restore_names{{{{false, "none"}, {true, "instant"}}}};
  if (m.has("restore_after_loss"))
    if (auto rs = get_choice(r, m.get("restore_after_loss"), "restore_after_loss", restore_names))
      c.restore_after_loss = *rs;
  if (m.has("automatic"))
    if (auto b = get_bool(r, m.get("automatic"), "automatic")) c.automatic = *b;
}

void Loader::reliability_section(const YAML::Node& n) {
  EstimatorSpec& e = spec.estimator;
  e.present = true;
  e.loc = r.loc(n);
  if (n.IsNull()) return;
  MapReader m(r, n, "reliability", {"method", "bias"});
  if (!m.ok()) return;
  if (m.has("method")) {
    e.method_loc = r.loc(m.get("method"));
    if (auto method = get_choice(r, m.get("method"), "method", estimator_method_names, "estimator")) e.method = *method;
  }
  if (m.has("bias")) {
    if (!e.importance_sampling())
      r.error(m.key_loc("bias"), "key 'bias' applies to method importance_sampling (the probability of a further "
                                 "failure while a group is exposed)");
    if (auto p = get_number(r, m.get("bias"), "bias")) {
      if (!(*p > 0 && *p < 1))
        r.error(m.get("bias"), "key 'bias': " + m.get("bias").Scalar() + " is not a probability strictly between 0 and "
                                "1 (the probability of a further failure while a group is exposed, e.g. 0.5)");
      else e.biasing.probability = *p;
    }
  }
}

void Loader::check_failures() {
  const FailuresSpec& f = spec.failures;
  std::vector<std::string> enclosures;
  for (const auto& [name, loc] : enclosure_names) enclosures.push_back(name);
  for (const auto& d : f.drives)
    if (!drive_names.contains(d.value) && !enclosure_names.contains(d.value)) {
      const std::string hint = drive_names.did_you_mean(d.value, enclosures);
      r.error(d.loc, "key 'drives': no drive or enclosure named " + q(d.value) +
                         (hint.empty() ? std::string() : " (did you mean " + q(hint) + "?)"));
    }
  for (const auto& inj : f.inject) {
    if (!inj.drive.value.empty() && !drive_names.contains(inj.drive.value)) {
      const std::string hint = drive_names.did_you_mean(inj.drive.value);
      r.error(inj.drive.loc, "key 'drive': no drive named " + q(inj.drive.value) + " (" +
                                 (hint.empty() ? std::string() : "did you mean " + q(hint) + "? ") +
                                 "drives are named ENCLOSURE/INDEX, from 0)");
    }
    if (spec.horizon != base::never && inj.at >= spec.horizon)
      r.error(inj.at_loc, "key 'at': " + base::format_seconds(inj.at) + " s is not before the horizon (" +
                              base::format_seconds(spec.horizon) + " s): the failure would never happen");
  }
  if (spec.horizon == base::never && !horizon_given) {
    if (f.lifetime || f.latent_errors)
      r.error(f.random_loc, "random failures (failures.lifetime or failures.latent_errors) need a 'horizon': without one "
                            "the mission never ends (e.g. horizon: 10y)");
    for (const DriveModelSpec& dm : spec.drive_models)
      if (dm.lifetime || dm.latent_errors)
        r.error(dm.random_loc, "random failures (drive_models." + dm.name + ".lifetime or latent_errors) need a "
                               "'horizon': without one the mission never ends (e.g. horizon: 10y)");
  }
  if (spec.estimator.importance_sampling()) {
    // Failure biasing replaces the hazard of drives in exposed groups: every lifetime law must
    // have one, and at least one drive must have a law.
    const SourceLoc at = spec.estimator.method_loc;
    bool any = f.lifetime.has_value();
    if (f.lifetime && !f.lifetime->has_hazard())
      r.error(f.random_loc, "key 'lifetime': importance sampling needs lifetime laws with a density (exponential, "
                            "weibull, lognormal, normal, uniform); " + std::string(engine::to_string(f.lifetime->kind())) +
                            " has none");
    for (const DriveModelSpec& dm : spec.drive_models) {
      if (!dm.lifetime) continue;
      any = true;
      if (!dm.lifetime->has_hazard())
        r.error(dm.random_loc, "key 'lifetime': importance sampling needs lifetime laws with a density (exponential, "
                               "weibull, lognormal, normal, uniform); " + std::string(engine::to_string(dm.lifetime->kind())) +
                               " has none");
    }
    if (!any)
      r.error(at, "key 'method': importance_sampling biases drive failures, but no drive has a lifetime law (give "
                  "failures.lifetime or drive_models.M.lifetime)");
  }
  if (spec.repair.mode == storage::RebuildMode::Coarse && !spec.io.empty())
    r.error(spec.io.front().loc, "repair.rebuild.mode 'coarse' times rebuilds on idle drives, but the workload has an "
                                 "I/O load; use mode 'io' (the default) so rebuilds contend with it");
}

} // namespace sim::scenario::detail
