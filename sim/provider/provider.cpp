#include "sim/provider/provider.hpp"

namespace sim::provider {

Provider::Provider(Ledger& ledger, std::string name, FaultPlan* faults)
    : VdsObject(ledger, ObjectType::Provider, "provider", std::move(name)), faults_(faults) {}

HResult Provider::query_subsystems(std::vector<Subsystem*>* out, const Holder& caller) {
  if (out == nullptr) return hr::e_pointer;
  out->clear();
  if (faults_ != nullptr && faults_->cache_corrupt()) return hr::vds_e_provider_cache_corrupt;
  for (Subsystem* s : subsystems_) {
    s->add_ref(caller);
    out->push_back(s);
  }
  return hr::s_ok;
}

HResult Provider::reenumerate() { return hr::s_ok; }

HResult Provider::refresh() {
  if (faults_ != nullptr) faults_->on_refresh();
  return hr::s_ok;
}

} // namespace sim::provider
