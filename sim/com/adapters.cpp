#include "sim/provider/async.hpp"
#include "sim/provider/provider.hpp"
#include "sim/provider/subsystem.hpp"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "sim/com/adapters.hpp"

namespace sim::com {

namespace {

using provider::HResult;
using provider::Interface;

HRESULT to_hr(HResult h) { return static_cast<HRESULT>(h.value); }

std::vector<provider::ObjectId> to_ids(const VDS_OBJECT_ID* ids, LONG n) {
  std::vector<provider::ObjectId> out;
  for (LONG i = 0; i < n; ++i) out.push_back(to_object_id(ids[i]));
  return out;
}

bool bad_array(const VDS_OBJECT_ID* ids, LONG n) { return n < 0 || (n > 0 && ids == nullptr); }

provider::Hints to_hints(const VDS_HINTS& h) {
  provider::Hints out;
  out.maximum_drive_count = h.ulMaximumDriveCount;
  out.stripe_size = h.ulStripeSize;
  out.rebuild_priority = h.sRebuildPriority;
  out.most_reads = (h.ullHintMask & VDS_HINT_MOSTLYREADS) != 0 && h.bMostlyReads != 0;
  out.optimize_sequential_reads =
      (h.ullHintMask & VDS_HINT_OPTIMIZEFORSEQUENTIALREADS) != 0 && h.bOptimizeForSequentialReads != 0;
  out.optimize_sequential_writes =
      (h.ullHintMask & VDS_HINT_OPTIMIZEFORSEQUENTIALWRITES) != 0 && h.bOptimizeForSequentialWrites != 0;
  return out;
}

template <class E, class M>
E as_enum(M m) {
  return static_cast<E>(static_cast<std::int32_t>(m));
}

/// The provider Interface an IID names (Unknown for IID_IUnknown; false: not a provider one).
bool provider_interface(const IID& iid, Interface* out) {
  struct Row {
    const IID* iid;
    Interface i;
  };
  static constexpr Row rows[] = {
      {&IID_IUnknown, Interface::Unknown},          {&IID_IVdsAsync, Interface::Async},
      {&IID_IVdsSubSystem, Interface::SubSystem},   {&IID_IVdsDrive, Interface::Drive},
      {&IID_IVdsLun, Interface::Lun},               {&IID_IVdsLunPlex, Interface::LunPlex},
      {&IID_IVdsController, Interface::Controller}, {&IID_IVdsProvider, Interface::Provider},
      {&IID_IVdsHwProvider, Interface::HwProvider},
  };
  for (const Row& r : rows)
    if (*r.iid == iid) {
      *out = r.i;
      return true;
    }
  return false;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ComBase

ComBase::ComBase(Apartment& apartment, provider::VdsObject& object)
    : apartment_(&apartment), object_(&object), ledger_id_(object.ledger_id()) {
  apartment.registered(this);
}

ComBase::ComBase(Apartment& apartment, std::string kind, std::string name)
    : apartment_(&apartment), ledger_id_(apartment.ledger().add_object(kind, name)) {
  apartment.registered(this);
}

bool ComBase::call(const char* method) {
  ++apartment_->outcome().com_calls;
  const std::string_view m(method);
  if (released_) {
    const bool on_handle = dynamic_cast<IVdsAsync*>(this) != nullptr && (m == "Wait" || m == "QueryStatus");
    apartment_->ledger().violation(apartment_->holder(),
                                   on_handle ? provider::ClientViolationKind::WaitOnReleased
                                             : provider::ClientViolationKind::UseAfterRelease,
                                   ledger_id_, std::string(method) + " after the last Release");
    return false;
  }
  if (mistyped_ && m != "AddRef" && m != "Release") {
    mistyped_ = false;  // once per payload
    apartment_->ledger().violation(apartment_->holder(), provider::ClientViolationKind::WrongTypePayload, ledger_id_,
                                   std::string(method) + " on a Wait payload of another output type");
  }
  return true;
}

void ComBase::call_release() const { ++apartment_->outcome().com_calls; }

ULONG ComBase::add_ref() {
  apartment_->ledger().add_ref(ledger_id_, apartment_->holder());
  return ++client_refs_ + held_refs_;
}

ULONG ComBase::release() {
  // A Release the client does not own (none left, or a pointer handed out with a failed call)
  // is recorded by the Ledger as an over-release and frees nothing.
  const bool owned = apartment_->ledger().release(ledger_id_, apartment_->holder());
  if (owned && client_refs_ > 0) --client_refs_;
  const ULONG left = client_refs_ + held_refs_;
  if (owned) free_if_unused();
  return left;
}

void ComBase::hold() {
  apartment_->ledger().add_ref(ledger_id_, apartment_->internal_holder());
  ++held_refs_;
}

void ComBase::let_go() {
  if (held_refs_ == 0) return;
  apartment_->ledger().release(ledger_id_, apartment_->internal_holder());
  --held_refs_;
  free_if_unused();
}

void ComBase::free_if_unused() {
  if (released_ || client_refs_ + held_refs_ > 0) return;
  on_free();
  apartment_->destroy(this);
}

HRESULT ComBase::query_interface(REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  *ppv = nullptr;
  void* p = as(riid);
  Interface iid{};
  if (object_ != nullptr && provider_interface(riid, &iid)) {
    // The provider object decides (an errant provider's no_interface, or stale_object's
    // VDS_E_OBJECT_DELETED for every IID); on success it has recorded the client's reference.
    provider::VdsObject* out = nullptr;
    const HResult h = object_->query_interface(iid, &out, apartment_->holder());
    if (h.failed()) return to_hr(h);
    if (p == nullptr) {  // the object answers for it, this adapter does not
      apartment_->ledger().release(ledger_id_, apartment_->holder());
      return E_NOINTERFACE;
    }
  } else {
    if (p == nullptr) return E_NOINTERFACE;
    apartment_->ledger().add_ref(ledger_id_, apartment_->holder());
  }
  ++client_refs_;
  *ppv = p;
  return S_OK;
}

// The IUnknown methods of every adapter.
#define LUNSIM_COM_IUNKNOWN                                                                        \
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {                      \
    if (!call("QueryInterface")) {                                                                 \
      if (ppv != nullptr) *ppv = nullptr;                                                          \
      return RPC_E_DISCONNECTED;                                                                   \
    }                                                                                              \
    return query_interface(riid, ppv);                                                             \
  }                                                                                                \
  ULONG STDMETHODCALLTYPE AddRef() override {                                                      \
    if (!call("AddRef")) return 0;                                                                 \
    return add_ref();                                                                              \
  }                                                                                                \
  ULONG STDMETHODCALLTYPE Release() override {                                                     \
    call_release();                                                                                \
    return release();                                                                              \
  }

namespace {

// ---------------------------------------------------------------------------------------------
// Adapters over provider objects

class ComUnknown final : public IUnknown, public ComBase {
public:
  ComUnknown(Apartment& a, provider::VdsObject& o) : ComBase(a, o) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return this; }

protected:
  void* as(const IID& iid) override { return iid == IID_IUnknown ? static_cast<IUnknown*>(this) : nullptr; }
};

class ComEnum final : public IEnumVdsObject, public ComBase {
public:
  /// Takes over one held reference on each item.
  ComEnum(Apartment& a, std::string what, std::vector<ComBase*> items, std::size_t pos = 0)
      : ComBase(a, "enum", "enum/" + what), what_(std::move(what)), items_(std::move(items)), pos_(pos) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IEnumVdsObject*>(this); }

  HRESULT STDMETHODCALLTYPE Next(ULONG celt, IUnknown** out, ULONG* fetched) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (out == nullptr) return E_POINTER;
    if (celt != 1 && fetched == nullptr) return E_INVALIDARG;
    const ULONG n = static_cast<ULONG>(std::min<std::size_t>(celt, items_.size() - pos_));
    for (ULONG i = 0; i < n; ++i) {
      ComBase* c = items_[pos_ + i];
      c->add_ref();
      out[i] = c->unknown();
    }
    pos_ += n;
    if (fetched != nullptr) *fetched = n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG celt) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    const std::size_t n = std::min<std::size_t>(celt, items_.size() - pos_);
    pos_ += n;
    return n == celt ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    pos_ = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Clone(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    for (ComBase* c : items_) c->hold();
    *pp = apartment().make<ComEnum>(what_, items_, pos_);
    return S_OK;
  }
  void on_free() override {
    std::vector<ComBase*> items = std::move(items_);
    for (ComBase* c : items) c->let_go();
  }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IEnumVdsObject ? static_cast<IEnumVdsObject*>(this) : nullptr;
  }

private:
  std::string what_;
  std::vector<ComBase*> items_;
  std::size_t pos_;
};

/// An enumerator over objects that each carry one reference for the internal holder.
template <class T>
HRESULT hand_out_enum(Apartment& a, std::string what, HResult h, const std::vector<T*>& objects, IEnumVdsObject** pp) {
  std::vector<ComBase*> items;
  items.reserve(objects.size());
  for (T* o : objects) items.push_back(a.adopt_held(*o));
  if (h.failed()) {
    for (ComBase* c : items) c->let_go();
    return to_hr(h);
  }
  *pp = a.make<ComEnum>(std::move(what), std::move(items));
  return S_OK;
}

class ComAsync final : public IVdsAsync, public ComBase {
public:
  ComAsync(Apartment& a, provider::AsyncHandle& h) : ComBase(a, h), h_(&h) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsAsync*>(this); }

  HRESULT STDMETHODCALLTYPE Cancel() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(h_->cancel());
  }
  HRESULT STDMETHODCALLTYPE Wait(HRESULT* result, VDS_ASYNC_OUTPUT* out) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (result == nullptr || out == nullptr) return E_POINTER;
    apartment().outcome().wait_began = apartment().simulation().now();
    const HRESULT b = apartment().block(*h_->signal().state(), "IVdsAsync::Wait");
    if (FAILED(b)) return b;
    const provider::WaitResult w = h_->wait_result(apartment().holder());
    *result = to_hr(w.op);
    ZeroMemory(out, sizeof *out);
    if (w.wait.failed()) {
      apartment().outcome().failed_waits.push_back(FailedWait{ledger_id(), static_cast<std::int32_t>(w.wait.value)});
      return to_hr(w.wait);
    }
    out->type = as_enum<VDS_ASYNC_OUTPUT_TYPE>(w.output.type);
    // Every interface-pointer arm of the union shares cl.pLunUnk's place.
    if (w.output.object != nullptr) {
      ComBase* payload = apartment().adopt(*w.output.object);
      if (w.output.type != h_->output_type()) Apartment::mistyped(payload);
      out->cl.pLunUnk = payload->unknown();
      if (const auto* lun = dynamic_cast<const provider::LunObject*>(w.output.object)) {
        Outcome& o = apartment().outcome();
        if (std::find(o.luns.begin(), o.luns.end(), lun) == o.luns.end()) {
          o.luns.push_back(lun);
          base::Bytes asked{};
          for (const auto& [handle, size] : o.create_asked)
            if (handle == h_->ledger_id()) asked = size;
          o.luns_asked.push_back(asked);
        }
      }
    }
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* result, ULONG* percent) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (result == nullptr || percent == nullptr) return E_POINTER;
    HResult op;
    std::uint32_t pct = 0;
    const HResult h = h_->query_status(&op, &pct);
    if (h.succeeded()) {
      *result = to_hr(op);
      *percent = pct;
    }
    return to_hr(h);
  }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsAsync ? static_cast<IVdsAsync*>(this) : nullptr;
  }

private:
  provider::AsyncHandle* h_;
};

/// The async handle a provider call gave: the holder's when the call succeeded; after a failed
/// call (sync_error_with_handle) the pointer is handed on but the reference is not the client's.
HRESULT hand_out_async(Apartment& a, HResult h, provider::AsyncHandle* async, IVdsAsync** pp) {
  if (async != nullptr) {
    ComBase* c = h.succeeded() ? a.adopt(*async) : a.adapter_for(*async);
    *pp = static_cast<ComAsync*>(c);
  }
  return to_hr(h);
}

template <class I, class T>
HRESULT hand_out(Apartment& a, T& object, I** pp) {
  if (pp == nullptr) return E_POINTER;
  *pp = nullptr;
  object.add_ref(a.holder());
  *pp = dynamic_cast<I*>(a.adopt(object));
  return S_OK;
}

class ComSubSystem final : public IVdsSubSystem, public ComBase {
public:
  ComSubSystem(Apartment& a, provider::Subsystem& s) : ComBase(a, s), s_(&s) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsSubSystem*>(this); }

  HRESULT STDMETHODCALLTYPE GetProperties(VDS_SUB_SYSTEM_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    provider::SubSystemProp m;
    const HResult h = s_->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(m.id);
    p->pwszFriendlyName = co_string(m.friendly_name);
    p->pwszIdentification = co_string(m.identification);
    p->ulFlags = m.flags;
    p->ulStripeSizeFlags = m.stripe_size_flags;
    p->status = as_enum<VDS_SUB_SYSTEM_STATUS>(m.status);
    p->health = as_enum<VDS_HEALTH>(m.health);
    p->sNumberOfInternalBuses = m.internal_buses;
    p->sMaxNumberOfSlotsEachBus = m.max_slots_each_bus;
    p->sMaxNumberOfControllers = m.max_controllers;
    p->sRebuildPriority = m.rebuild_priority;
    return to_hr(h);
  }
  HRESULT STDMETHODCALLTYPE GetProvider(IVdsProvider** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return hand_out(apartment(), apartment().provider(), pp);
  }
  HRESULT STDMETHODCALLTYPE QueryControllers(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    std::vector<provider::ControllerObject*> v;
    const HResult h = s_->query_controllers(&v, apartment().internal_holder());
    return hand_out_enum(apartment(), "controllers", h, v, pp);
  }
  HRESULT STDMETHODCALLTYPE QueryLuns(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    std::vector<provider::LunObject*> v;
    const HResult h = s_->query_luns(&v, apartment().internal_holder());
    return hand_out_enum(apartment(), "luns", h, v, pp);
  }
  HRESULT STDMETHODCALLTYPE QueryDrives(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    std::vector<provider::DriveObject*> v;
    const HResult h = s_->query_drives(&v, apartment().internal_holder());
    return hand_out_enum(apartment(), "drives", h, v, pp);
  }
  HRESULT STDMETHODCALLTYPE GetDrive(SHORT bus, SHORT slot, IVdsDrive** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    for (std::size_t i = 0; i < s_->drive_count(); ++i) {
      provider::DriveObject& d = s_->drive(i);
      provider::DriveProp prop;
      if (d.get_properties(&prop).succeeded() && prop.bus == bus && prop.slot == slot)
        return hand_out(apartment(), d, pp);
    }
    return to_hr(provider::hr::vds_e_object_not_found);
  }
  HRESULT STDMETHODCALLTYPE Reenumerate() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(s_->reenumerate());
  }
  HRESULT STDMETHODCALLTYPE SetControllerStatus(VDS_OBJECT_ID*, LONG, VDS_OBJECT_ID*, LONG) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  HRESULT STDMETHODCALLTYPE CreateLun(VDS_LUN_TYPE type, ULONGLONG size, VDS_OBJECT_ID* drive_ids, LONG drives,
                                      LPWSTR /*unmasking list*/, VDS_HINTS* hints, IVdsAsync** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    if (bad_array(drive_ids, drives)) return E_INVALIDARG;
    Outcome& o = apartment().outcome();
    ++o.create_lun_calls;
    o.create_lun_size = base::Bytes{size};
    const std::vector<provider::ObjectId> ids = to_ids(drive_ids, drives);
    const provider::Hints h = hints != nullptr ? to_hints(*hints) : provider::Hints{};
    provider::AsyncHandle* async = nullptr;
    const HResult r = s_->create_lun(static_cast<std::int32_t>(type), base::Bytes{size}, ids,
                                     hints != nullptr ? &h : nullptr, &async, apartment().holder());
    if (async != nullptr) o.create_asked.emplace_back(async->ledger_id(), base::Bytes{size});
    return hand_out_async(apartment(), r, async, pp);
  }
  HRESULT STDMETHODCALLTYPE ReplaceDrive(VDS_OBJECT_ID, VDS_OBJECT_ID) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  HRESULT STDMETHODCALLTYPE SetStatus(VDS_SUB_SYSTEM_STATUS) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  HRESULT STDMETHODCALLTYPE QueryMaxLunCreateSize(VDS_LUN_TYPE type, VDS_OBJECT_ID* drive_ids, LONG drives,
                                                  VDS_HINTS* hints, ULONGLONG* out) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (out == nullptr) return E_POINTER;
    if (bad_array(drive_ids, drives)) return E_INVALIDARG;
    const std::vector<provider::ObjectId> ids = to_ids(drive_ids, drives);
    const provider::Hints h = hints != nullptr ? to_hints(*hints) : provider::Hints{};
    base::Bytes max;
    const HResult r = s_->query_max_lun_create_size(static_cast<std::int32_t>(type), ids, hints != nullptr ? &h : nullptr, &max);
    if (r.succeeded()) *out = max.value;
    return to_hr(r);
  }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsSubSystem ? static_cast<IVdsSubSystem*>(this) : nullptr;
  }

private:
  provider::Subsystem* s_;
};

class ComLun final : public IVdsLun, public ComBase {
public:
  ComLun(Apartment& a, provider::LunObject& l) : ComBase(a, l), l_(&l) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsLun*>(this); }

  HRESULT STDMETHODCALLTYPE GetProperties(VDS_LUN_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    provider::LunProp m;
    const HResult h = l_->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(m.id);
    p->ullSize = m.size.value;
    p->pwszFriendlyName = co_string(m.friendly_name);
    p->pwszIdentification = co_string(m.identification);
    p->pwszUnmaskingList = co_string(m.unmasking_list);
    p->ulFlags = m.flags;
    p->type = as_enum<VDS_LUN_TYPE>(m.type);
    p->status = as_enum<VDS_LUN_STATUS>(m.status);
    p->health = as_enum<VDS_HEALTH>(m.health);
    p->TransitionState = as_enum<VDS_TRANSITION_STATE>(m.transition);
    p->sRebuildPriority = m.rebuild_priority;
    return to_hr(h);
  }
  HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    if (l_->deleted()) return to_hr(provider::hr::vds_e_object_deleted);
    return hand_out(apartment(), l_->subsystem(), pp);
  }
  HRESULT STDMETHODCALLTYPE GetIdentificationData(VDS_LUN_INFORMATION*) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  HRESULT STDMETHODCALLTYPE QueryActiveControllers(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    std::vector<provider::ControllerObject*> v;
    const HResult h = l_->query_active_controllers(&v, apartment().internal_holder());
    return hand_out_enum(apartment(), "active-controllers", h, v, pp);
  }
  HRESULT STDMETHODCALLTYPE Extend(ULONGLONG bytes, VDS_OBJECT_ID* drive_ids, LONG drives, IVdsAsync** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    if (bad_array(drive_ids, drives)) return E_INVALIDARG;
    provider::AsyncHandle* async = nullptr;  // lunsim extends on the LUN's own drives
    const HResult r = l_->extend(base::Bytes{bytes}, &async, apartment().holder());
    return hand_out_async(apartment(), r, async, pp);
  }
  HRESULT STDMETHODCALLTYPE Shrink(ULONGLONG bytes, IVdsAsync** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    provider::AsyncHandle* async = nullptr;
    const HResult r = l_->shrink(base::Bytes{bytes}, &async, apartment().holder());
    return hand_out_async(apartment(), r, async, pp);
  }
  HRESULT STDMETHODCALLTYPE QueryPlexes(IEnumVdsObject** pp) override;
  HRESULT STDMETHODCALLTYPE AddPlex(VDS_OBJECT_ID, IVdsAsync**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE RemovePlex(VDS_OBJECT_ID, IVdsAsync**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Recover(IVdsAsync** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    provider::AsyncHandle* async = nullptr;
    const HResult r = l_->recover(&async, apartment().holder());
    return hand_out_async(apartment(), r, async, pp);
  }
  HRESULT STDMETHODCALLTYPE SetMask(LPWSTR) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Delete() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(l_->delete_lun());
  }
  HRESULT STDMETHODCALLTYPE AssociateControllers(VDS_OBJECT_ID* active, LONG n_active, VDS_OBJECT_ID* inactive,
                                                 LONG n_inactive) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (bad_array(active, n_active) || bad_array(inactive, n_inactive)) return E_INVALIDARG;
    const std::vector<provider::ObjectId> a = to_ids(active, n_active);
    const std::vector<provider::ObjectId> i = to_ids(inactive, n_inactive);
    return to_hr(l_->associate_controllers(a, i));
  }
  HRESULT STDMETHODCALLTYPE QueryHints(VDS_HINTS*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE ApplyHints(VDS_HINTS*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE SetStatus(VDS_LUN_STATUS) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryMaxLunExtendSize(VDS_OBJECT_ID*, LONG, ULONGLONG*) override { return not_supported(); }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsLun ? static_cast<IVdsLun*>(this) : nullptr;
  }

private:
  HRESULT not_supported() {
    if (!call("a method VDS_E_NOT_SUPPORTED answers")) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  provider::LunObject* l_;
};

/// A LUN's one plex (lunsim does not split LUNs into plexes: every LUN is its own single plex,
/// as a non-mirrored VDS LUN is). A compat-layer object that holds the LUN's adapter.
class ComLunPlex final : public IVdsLunPlex, public ComBase {
public:
  ComLunPlex(Apartment& a, ComBase& lun, provider::LunObject& l)
      : ComBase(a, "plex", "plex/" + l.name()), lun_(&lun), l_(&l) {
    lun_->hold();
  }
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsLunPlex*>(this); }

  HRESULT STDMETHODCALLTYPE GetProperties(VDS_LUN_PLEX_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    provider::LunProp m;
    const HResult h = l_->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(provider::ObjectId::derive("plex", l_->name()));
    p->ullSize = m.size.value;
    p->type = as_enum<VDS_LUN_PLEX_TYPE>(m.type);  // the plex types share the LUN types' values
    p->status = as_enum<VDS_LUN_PLEX_STATUS>(m.status);
    p->health = as_enum<VDS_HEALTH>(m.health);
    p->TransitionState = as_enum<VDS_TRANSITION_STATE>(m.transition);
    p->ulFlags = 0;
    p->ulStripeSize = l_->lun() != nullptr ? static_cast<ULONG>(l_->lun()->stripe_unit().value) : 0;
    p->sRebuildPriority = m.rebuild_priority;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetLun(IVdsLun** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    lun_->add_ref();
    *pp = dynamic_cast<IVdsLun*>(lun_);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE QueryExtents(VDS_DRIVE_EXTENT**, LONG*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryHints(VDS_HINTS*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE ApplyHints(VDS_HINTS*) override { return not_supported(); }
  void on_free() override { lun_->let_go(); }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsLunPlex ? static_cast<IVdsLunPlex*>(this) : nullptr;
  }

private:
  HRESULT not_supported() {
    if (!call("a method VDS_E_NOT_SUPPORTED answers")) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  ComBase* lun_;
  provider::LunObject* l_;
};

HRESULT STDMETHODCALLTYPE ComLun::QueryPlexes(IEnumVdsObject** pp) {
  if (!call("QueryPlexes")) return RPC_E_DISCONNECTED;
  if (pp == nullptr) return E_POINTER;
  *pp = nullptr;
  if (l_->deleted()) return to_hr(provider::hr::vds_e_object_deleted);
  // The enumerator holds the plex (a held reference; the plex is made with a client one).
  ComLunPlex* plex = apartment().make<ComLunPlex>(*this, *l_);
  plex->hold();
  plex->release();
  *pp = apartment().make<ComEnum>("plexes", std::vector<ComBase*>{plex});
  return S_OK;
}

class ComDrive final : public IVdsDrive, public ComBase {
public:
  ComDrive(Apartment& a, provider::DriveObject& d) : ComBase(a, d), d_(&d) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsDrive*>(this); }

  HRESULT STDMETHODCALLTYPE GetProperties(VDS_DRIVE_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    provider::DriveProp m;
    const HResult h = d_->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(m.id);
    p->ullSize = m.size.value;
    p->pwszFriendlyName = co_string(m.friendly_name);
    p->pwszIdentification = co_string(m.identification);
    p->ulFlags = m.flags;
    p->status = as_enum<VDS_DRIVE_STATUS>(m.status);
    p->health = as_enum<VDS_HEALTH>(m.health);
    p->sInternalBusNumber = m.bus;
    p->sSlotNumber = m.slot;
    return to_hr(h);
  }
  HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return hand_out(apartment(), d_->subsystem(), pp);
  }
  HRESULT STDMETHODCALLTYPE QueryExtents(VDS_DRIVE_EXTENT**, LONG*) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  HRESULT STDMETHODCALLTYPE SetFlags(ULONG flags) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(d_->set_flags(flags));
  }
  HRESULT STDMETHODCALLTYPE ClearFlags(ULONG flags) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(d_->clear_flags(flags));
  }
  HRESULT STDMETHODCALLTYPE SetStatus(VDS_DRIVE_STATUS) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsDrive ? static_cast<IVdsDrive*>(this) : nullptr;
  }

private:
  provider::DriveObject* d_;
};

class ComController final : public IVdsController, public ComBase {
public:
  ComController(Apartment& a, provider::ControllerObject& c) : ComBase(a, c), c_(&c) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsController*>(this); }

  HRESULT STDMETHODCALLTYPE GetProperties(VDS_CONTROLLER_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    provider::ControllerProp m;
    const HResult h = c_->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(m.id);
    p->pwszFriendlyName = co_string(m.friendly_name);
    p->pwszIdentification = co_string(m.identification);
    p->status = as_enum<VDS_CONTROLLER_STATUS>(m.status);
    p->health = as_enum<VDS_HEALTH>(m.health);
    p->sNumberOfPorts = m.ports;
    return to_hr(h);
  }
  HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return hand_out(apartment(), c_->subsystem(), pp);
  }
  HRESULT STDMETHODCALLTYPE GetPortProperties(SHORT port, VDS_PORT_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    if (port < 0 || static_cast<std::size_t>(port) >= c_->ports().size()) return E_INVALIDARG;
    provider::PortProp m;
    const HResult h = c_->ports()[static_cast<std::size_t>(port)]->get_properties(&m);
    if (h.failed()) return to_hr(h);
    p->id = to_guid(m.id);
    p->pwszFriendlyName = co_string(m.friendly_name);
    p->pwszIdentification = co_string(m.identification);
    p->status = as_enum<VDS_PORT_STATUS>(m.status);
    return to_hr(h);
  }
  HRESULT STDMETHODCALLTYPE FlushCache() override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE InvalidateCache() override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Reset() override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryAssociatedLuns(IEnumVdsObject**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE SetStatus(VDS_CONTROLLER_STATUS) override { return not_supported(); }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsController ? static_cast<IVdsController*>(this) : nullptr;
  }

private:
  HRESULT not_supported() {
    if (!call("a method VDS_E_NOT_SUPPORTED answers")) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
  provider::ControllerObject* c_;
};

class ComProvider final : public IVdsProvider, public IVdsHwProvider, public ComBase {
public:
  ComProvider(Apartment& a, provider::Provider& p) : ComBase(a, p), p_(&p) {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsProvider*>(this); }

  // IVdsProvider
  HRESULT STDMETHODCALLTYPE GetProperties(VDS_PROVIDER_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    p->id = to_guid(p_->id());
    p->pwszName = co_string(p_->name());
    p->guidVersionId = to_guid(provider::ObjectId::derive("provider-version", "lunsim"));
    p->pwszVersion = co_string("lunsim");
    p->type = VDS_PT_HARDWARE;
    p->ulFlags = 0;
    p->ulStripeSizeFlags = 0;
    p->sRebuildPriority = 0;
    return S_OK;
  }
  // IVdsHwProvider
  HRESULT STDMETHODCALLTYPE QuerySubSystems(IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    std::vector<provider::Subsystem*> v;
    const HResult h = p_->query_subsystems(&v, apartment().internal_holder());
    return hand_out_enum(apartment(), "subsystems", h, v, pp);
  }
  HRESULT STDMETHODCALLTYPE Reenumerate() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(p_->reenumerate());
  }
  HRESULT STDMETHODCALLTYPE Refresh() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return to_hr(p_->refresh());
  }

protected:
  void* as(const IID& iid) override {
    if (iid == IID_IUnknown || iid == IID_IVdsProvider) return static_cast<IVdsProvider*>(this);
    if (iid == IID_IVdsHwProvider) return static_cast<IVdsHwProvider*>(this);
    return nullptr;
  }

private:
  provider::Provider* p_;
};

// ---------------------------------------------------------------------------------------------
// The service and its loader (the compat layer's own objects)

class ComService final : public IVdsService, public ComBase {
public:
  explicit ComService(Apartment& a) : ComBase(a, "service", "service/vds") {}
  ~ComService() override {
    if (apartment().service_object() == this) apartment().set_service_object(nullptr);
  }
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsService*>(this); }

  HRESULT STDMETHODCALLTYPE IsServiceReady() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return ready() ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE WaitForServiceReady() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return apartment().sleep_until(ready_at(), "IVdsService::WaitForServiceReady");
  }
  HRESULT STDMETHODCALLTYPE GetProperties(VDS_SERVICE_PROP* p) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (p == nullptr) return E_POINTER;
    p->pwszVersion = co_string("lunsim");
    p->ulFlags = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE QueryProviders(DWORD masks, IEnumVdsObject** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    if (!ready()) return VDS_E_INITIALIZE_NOT_CALLED;
    std::vector<provider::Provider*> v;
    if ((masks & VDS_QUERY_HARDWARE_PROVIDERS) != 0) {
      apartment().provider().add_ref(apartment().internal_holder());
      v.push_back(&apartment().provider());
    }
    return hand_out_enum(apartment(), "providers", provider::hr::s_ok, v, pp);
  }
  HRESULT STDMETHODCALLTYPE QueryMaskedDisks(IEnumVdsObject**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryUnallocatedDisks(IEnumVdsObject**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE GetObject(VDS_OBJECT_ID, VDS_OBJECT_TYPE, IUnknown**) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryDriveLetters(WCHAR, DWORD, VDS_DRIVE_LETTER_PROP*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE QueryFileSystemTypes(VDS_FILE_SYSTEM_TYPE_PROP**, LONG*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Reenumerate() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Refresh() override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE CleanupObsoleteMountPoints() override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Advise(IVdsAdviseSink*, DWORD*) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Unadvise(DWORD) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE Reboot() override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE SetFlags(ULONG) override { return not_supported(); }
  HRESULT STDMETHODCALLTYPE ClearFlags(ULONG) override { return not_supported(); }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsService ? static_cast<IVdsService*>(this) : nullptr;
  }

private:
  base::Time ready_at() const { return base::at(apartment().service().ready_after); }
  bool ready() const { return apartment().simulation().now() >= ready_at(); }
  HRESULT not_supported() {
    if (!call("a method VDS_E_NOT_SUPPORTED answers")) return RPC_E_DISCONNECTED;
    return VDS_E_NOT_SUPPORTED;
  }
};

class ComLoader final : public IVdsServiceLoader, public ComBase {
public:
  explicit ComLoader(Apartment& a) : ComBase(a, "loader", "loader/vds") {}
  LUNSIM_COM_IUNKNOWN
  IUnknown* unknown() override { return static_cast<IVdsServiceLoader*>(this); }

  HRESULT STDMETHODCALLTYPE LoadService(LPWSTR machine, IVdsService** pp) override {
    if (!call(__func__)) return RPC_E_DISCONNECTED;
    if (pp == nullptr) return E_POINTER;
    *pp = nullptr;
    // lunsim simulates the local machine only; a remote one is unreachable.
    if (machine != nullptr && machine[0] != L'\0') return HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE);
    if (ComBase* s = apartment().service_object()) {
      s->add_ref();
      *pp = static_cast<ComService*>(s);
      return S_OK;
    }
    auto* s = apartment().make<ComService>();
    apartment().set_service_object(s);
    *pp = s;
    return S_OK;
  }

protected:
  void* as(const IID& iid) override {
    return iid == IID_IUnknown || iid == IID_IVdsServiceLoader ? static_cast<IVdsServiceLoader*>(this) : nullptr;
  }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Apartment

Apartment::Apartment(engine::Simulation& sim, provider::Provider& provider, provider::Holder holder,
                     ServiceConfig service, Outcome& outcome)
    : sim_(&sim), provider_(&provider), holder_(std::move(holder)),
      internal_holder_(provider::Holder::client(holder_.name + "/com")), service_(service), outcome_(&outcome) {}

Apartment::~Apartment() {
  if (current() == this) set_current(nullptr);
  const std::map<std::uint64_t, ComBase*> live = std::move(live_);
  live_.clear();
  by_object_.clear();
  service_object_ = nullptr;
  for (const auto& [serial, c] : live) delete c;
  for (ComBase* c : zombies_) delete c;
  zombies_.clear();
}

provider::Ledger& Apartment::ledger() const { return provider_->ledger(); }

void Apartment::registered(ComBase* c) {
  c->serial_ = next_serial_++;
  live_.emplace(c->serial_, c);
  if (c->object() != nullptr) by_object_.emplace(c->object(), c);
}

void Apartment::destroy(ComBase* c) {
  if (live_.erase(c->serial_) == 0) return;  // being torn down
  if (c->object() != nullptr) by_object_.erase(c->object());
  c->released_ = true;
  zombies_.push_back(c);
  if (zombies_.size() > zombie_limit) {
    delete zombies_.front();
    zombies_.pop_front();
  }
}

ComBase* Apartment::adapter_for(provider::VdsObject& object) {
  if (const auto it = by_object_.find(&object); it != by_object_.end()) return it->second;
  if (auto* a = dynamic_cast<provider::AsyncHandle*>(&object)) return new ComAsync(*this, *a);
  if (auto* s = dynamic_cast<provider::Subsystem*>(&object)) return new ComSubSystem(*this, *s);
  if (auto* d = dynamic_cast<provider::DriveObject*>(&object)) return new ComDrive(*this, *d);
  if (auto* c = dynamic_cast<provider::ControllerObject*>(&object)) return new ComController(*this, *c);
  if (auto* p = dynamic_cast<provider::Provider*>(&object)) return new ComProvider(*this, *p);
  if (auto* l = dynamic_cast<provider::LunObject*>(&object)) return new ComLun(*this, *l);
  return new ComUnknown(*this, object);
}

ComBase* Apartment::adopt(provider::VdsObject& object) {
  ComBase* c = adapter_for(object);
  c->adopt_one();
  return c;
}

ComBase* Apartment::adopt_held(provider::VdsObject& object) {
  ComBase* c = adapter_for(object);
  c->adopt_held();
  return c;
}

HRESULT Apartment::block(engine::CompletionState& state, const char* where) {
  if (fiber_ == nullptr || !fiber_->running()) return RPC_E_WRONG_THREAD;
  if (state.done()) return S_OK;
  outcome_->blocked_since = sim_->now();
  outcome_->blocked_in = where;
  set_current(nullptr);  // the loop and other fibers run meanwhile
  fiber_->wait(state);
  set_current(this);
  outcome_->blocked_in.clear();
  outcome_->blocked_since = base::never;
  return S_OK;
}

HRESULT Apartment::sleep_until(base::Time t, const char* where) {
  if (fiber_ == nullptr || !fiber_->running()) return RPC_E_WRONG_THREAD;
  if (sim_->now() >= t) return S_OK;
  outcome_->blocked_since = sim_->now();
  outcome_->blocked_in = where;
  set_current(nullptr);
  fiber_->sleep(t - sim_->now());
  set_current(this);
  outcome_->blocked_in.clear();
  outcome_->blocked_since = base::never;
  return S_OK;
}

namespace {
thread_local Apartment* current_apartment = nullptr;
} // namespace

Apartment* Apartment::current() { return current_apartment; }
void Apartment::set_current(Apartment* a) { current_apartment = a; }

// ---------------------------------------------------------------------------------------------
// Helpers

GUID to_guid(const provider::ObjectId& id) {
  GUID g{};
  g.Data1 = static_cast<std::uint32_t>(id.hi >> 32);
  g.Data2 = static_cast<std::uint16_t>(id.hi >> 16);
  g.Data3 = static_cast<std::uint16_t>(id.hi);
  for (int i = 0; i < 8; ++i) g.Data4[i] = static_cast<std::uint8_t>(id.lo >> (56 - 8 * i));
  return g;
}

provider::ObjectId to_object_id(const GUID& g) {
  provider::ObjectId id;
  id.hi = (std::uint64_t{g.Data1} << 32) | (std::uint64_t{g.Data2} << 16) | g.Data3;
  for (int i = 0; i < 8; ++i) id.lo = (id.lo << 8) | g.Data4[i];
  return id;
}

LPWSTR co_string(const std::string& s) {
  auto* w = static_cast<LPWSTR>(CoTaskMemAlloc((s.size() + 1) * sizeof(WCHAR)));
  if (w == nullptr) return nullptr;
  // Names are ASCII; other bytes pass through as their code units.
  for (std::size_t i = 0; i < s.size(); ++i) w[i] = static_cast<WCHAR>(static_cast<unsigned char>(s[i]));
  w[s.size()] = L'\0';
  return w;
}

IVdsSubSystem* hold_subsystem(Apartment& apartment, provider::Subsystem& subsystem) {
  subsystem.add_ref(apartment.internal_holder());
  return static_cast<ComSubSystem*>(apartment.adopt_held(subsystem));
}

void let_go(IVdsSubSystem* subsystem) { static_cast<ComSubSystem*>(subsystem)->let_go(); }

HRESULT create_loader(Apartment& apartment, REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  *ppv = nullptr;
  if (riid != IID_IUnknown && riid != IID_IVdsServiceLoader) return E_NOINTERFACE;
  *ppv = static_cast<IVdsServiceLoader*>(apartment.make<ComLoader>());
  return S_OK;
}

} // namespace sim::com
