// The hardware provider above the subsystems (IVdsProvider + IVdsHwProvider): lists its
// subsystems and carries the provider-wide recovery calls. With an errant fault plan, a
// VDS_E_PROVIDER_CACHE_CORRUPT state is cleared by the subsystem's reenumerate() followed by
// the provider's refresh(), as VDS documents (VDS-REFERENCE.md section 11).
#pragma once

#include "sim/provider/faults.hpp"
#include "sim/provider/object.hpp"
#include "sim/provider/subsystem.hpp"

#include <string>
#include <vector>

namespace sim::provider {

class Provider final : public VdsObject {
public:
  /// `faults` may be null (a correct provider); neither is owned.
  Provider(Ledger& ledger, std::string name, FaultPlan* faults = nullptr);
  bool implements(Interface iid) const override { return iid == Interface::Provider || iid == Interface::HwProvider; }

  void add_subsystem(Subsystem& s) { subsystems_.push_back(&s); }

  /// IVdsHwProvider::QuerySubSystems: every subsystem, each with a reference for `caller`.
  HResult query_subsystems(std::vector<Subsystem*>* out, const Holder& caller);
  /// IVdsHwProvider::Reenumerate: discovers (dis)connected subsystems; no simulated effect.
  HResult reenumerate();
  /// IVdsHwProvider::Refresh: refreshes cached properties; clears a corrupt cache once a
  /// subsystem was reenumerated.
  HResult refresh();

private:
  FaultPlan* faults_;
  std::vector<Subsystem*> subsystems_;
};

} // namespace sim::provider
