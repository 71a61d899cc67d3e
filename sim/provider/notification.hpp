// VDS notifications and status changes as the provider reports them (events.csv).
#pragma once

#include "sim/base/event_detail.hpp"
#include "sim/base/time.hpp"
#include "sim/provider/object.hpp"
#include "sim/provider/vds_types.hpp"

#include <string>

namespace sim::provider {

/// A VDS notification or status change. `detail` follows the one grammar of events.csv details
/// (sim/base/event_detail.hpp).
struct Notification {
  base::Time time{};
  NotificationEvent event{};
  ObjectType object_type{};
  ObjectId id;
  std::string object;  ///< the object's name
  std::string detail;  ///< "status=VDS_LS_ONLINE health=VDS_H_HEALTHY" and the like
};

/// Where a subsystem (Subsystem::set_sink) and the fabric send their notifications, in the
/// order they happen.
class NotificationSink {
public:
  virtual ~NotificationSink() = default;
  virtual void notify(const Notification& n) = 0;
};

} // namespace sim::provider
