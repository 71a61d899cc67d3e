// sim/compat/vds.h, compiled with only sim/compat on the include path: enumerator values, VDS
// HRESULTs and IIDs as in the public vds.h / vdshwprv.h / vdserr.h, struct layouts that do not
// depend on WCHAR width, vtable order of the interfaces, and a mock IVdsAsync used through an
// IVdsAsync* the way client code uses one.
#include <vds.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

// Enumerations: a sample of values against VDS-REFERENCE.md and vdshwprv.h.
static_assert(VDS_LT_RAID5 == 18 && VDS_LT_RAID61 == 30 && VDS_LT_SIMPLE == 10 && VDS_LT_DEFAULT == 1);
static_assert(VDS_LS_FAILED == 5 && VDS_LPS_NOT_READY == 2);
static_assert(VDS_H_HEALTHY == 1 && VDS_H_REBUILDING == 2 && VDS_H_FAILED == 8 && VDS_H_DEGRADED == 11);
static_assert(VDS_TS_STABLE == 1 && VDS_TS_RESTRIPING == 5);
static_assert(VDS_DRS_OFFLINE == 4 && VDS_DRS_REMOVED == 8);
static_assert(VDS_DRF_HOTSPARE == 0x1 && VDS_DRF_HOTSPARE_IN_USE == 0x8 && VDS_DRF_HOTSPARE_STANDBY == 0x10);
static_assert(VDS_CS_REMOVED == 8 && VDS_PRS_NOT_READY == 2);
static_assert(VDS_SSS_PARTIALLY_MANAGED == 9);
static_assert(VDS_ASYNCOUT_CREATELUN == 50 && VDS_ASYNCOUT_ADDLUNPLEX == 52 && VDS_ASYNCOUT_RECOVERLUN == 56);
static_assert(VDS_ASYNCOUT_CREATETARGET == 62 && VDS_ASYNCOUT_EXPAND_VDISK == 204);
static_assert(VDS_OT_SUB_SYSTEM == 30 && VDS_OT_LUN_PLEX == 34 && VDS_OT_ASYNC == 100 && VDS_OT_OPEN_VDISK == 201);
static_assert(VDS_MPS_STANDBY == 7 && VDS_LBP_DYN_LEAST_QUEUE_DEPTH == 4 && VDS_LBP_VENDOR_SPECIFIC == 7);
static_assert(VDS_PT_HARDWARE == 2 && VDS_HWT_SAS == 4);
static_assert(VDS_SF_SUPPORTS_PARITY_LUNS == 0x8000 && VDS_SF_CONSISTENCY_CHECK_CAPABLE == 0x1000000);
static_assert(static_cast<int>(VDS_LPT_RAID5) == static_cast<int>(VDS_LT_RAID5));
static_assert(sizeof(VDS_LUN_TYPE) == 4 && sizeof(VDS_ASYNC_OUTPUT_TYPE) == 4 && sizeof(VDS_HEALTH) == 4,
              "MIDL enums are 32-bit");

// HRESULTs: exact bit patterns, and FAILED/SUCCEEDED as on Windows.
static_assert(std::is_same_v<decltype(VDS_E_OPERATION_PENDING), HRESULT>);
static_assert(static_cast<uint32_t>(VDS_E_OPERATION_PENDING) == 0x80042409U);
static_assert(static_cast<uint32_t>(VDS_E_NOT_SUPPORTED) == 0x80042400U);
static_assert(static_cast<uint32_t>(VDS_E_OBJECT_NOT_FOUND) == 0x80042405U);
static_assert(static_cast<uint32_t>(VDS_E_OPERATION_CANCELED) == 0x8004240DU);
static_assert(static_cast<uint32_t>(VDS_E_CANCEL_TOO_LATE) == 0x8004240CU);
static_assert(static_cast<uint32_t>(VDS_E_ASYNC_OBJECT_FAILURE) == 0x8004244EU);
static_assert(static_cast<uint32_t>(VDS_E_TIMEOUT) == 0x8004245FU);
static_assert(static_cast<uint32_t>(VDS_E_SHRINK_EXTEND_UNALIGNED) == 0x80042B00U);
static_assert(VDS_S_IN_PROGRESS == 0x0004244D && VDS_S_PROPERTIES_INCOMPLETE == 0x00042715);

// Layouts that do not depend on WCHAR width (pointer members are 8 bytes, as on x64 Windows).
static_assert(sizeof(VDS_HINTS) == 80, "2 ULONGLONG + 6 ULONG + 9 BOOL + SHORT, padded to 8");
static_assert(offsetof(VDS_HINTS, sRebuildPriority) == 76);
static_assert(sizeof(VDS_DRIVE_EXTENT) == 48 && offsetof(VDS_DRIVE_EXTENT, ullSize) == 32);
static_assert(offsetof(VDS_ASYNC_OUTPUT, type) == 0);
static_assert(offsetof(VDS_ASYNC_OUTPUT, cp) == 8 && offsetof(VDS_ASYNC_OUTPUT, cl) == 8);
static_assert(offsetof(VDS_ASYNC_OUTPUT, cl.pLunUnk) == offsetof(VDS_ASYNC_OUTPUT, cv.pVolumeUnk));
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
static_assert(sizeof(VDS_ASYNC_OUTPUT) == 32, "type + pad + largest arm cp {ULONGLONG, GUID}");
static_assert(sizeof(VDS_LUN_PROP) == 72 && offsetof(VDS_LUN_PROP, ulFlags) == 48);
static_assert(offsetof(VDS_LUN_PROP, TransitionState) == 64 && offsetof(VDS_LUN_PROP, sRebuildPriority) == 68);
static_assert(sizeof(VDS_SUB_SYSTEM_PROP) == 56 && offsetof(VDS_SUB_SYSTEM_PROP, status) == 40);
static_assert(sizeof(VDS_DRIVE_PROP) == 56 && offsetof(VDS_DRIVE_PROP, sSlotNumber) == 54);
static_assert(sizeof(VDS_CONTROLLER_PROP) == 48 && offsetof(VDS_CONTROLLER_PROP, sNumberOfPorts) == 40);
static_assert(sizeof(VDS_PROVIDER_PROP) == 64 && offsetof(VDS_PROVIDER_PROP, type) == 48);
#endif

// Interfaces derive from IUnknown and cannot be deleted through the interface.
static_assert(std::is_base_of_v<IUnknown, IVdsAsync> && std::is_base_of_v<IUnknown, IVdsLun>);
static_assert(std::is_abstract_v<IVdsSubSystem> && !std::is_destructible_v<IVdsAsync>);
static_assert(!std::is_destructible_v<IVdsService> && !std::is_destructible_v<IVdsLunPlex>);

namespace {

bool guid_is(const GUID& g, uint32_t d1, uint16_t d2, uint16_t d3, std::initializer_list<uint8_t> d4) {
  if (g.Data1 != d1 || g.Data2 != d2 || g.Data3 != d3 || d4.size() != 8) return false;
  return std::memcmp(g.Data4, d4.begin(), 8) == 0;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// Itanium C++ ABI on x86-64: a pointer to a virtual member function holds 1 + the byte offset of
// its vtable slot. Slots 0..2 are QueryInterface, AddRef, Release.
template <class M>
long vtable_slot(M pmf) {
  struct Rep {
    uintptr_t ptr;
    ptrdiff_t adj;
  } rep{};
  static_assert(sizeof(M) == sizeof(Rep));
  std::memcpy(&rep, &pmf, sizeof rep);
  if ((rep.ptr & 1U) == 0) return -1; // not virtual
  return static_cast<long>((rep.ptr - 1) / sizeof(void*));
}
#define LUNSIM_HAVE_VTABLE_SLOT 1
#endif

class MockAsync final : public IVdsAsync {
public:
  ULONG refs = 1;
  IUnknown* lun = nullptr;
  bool done = false;

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
    if (out == nullptr) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IVdsAsync)) {
      *out = static_cast<IVdsAsync*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() override { return --refs; }
  HRESULT STDMETHODCALLTYPE Cancel() override { return done ? VDS_E_CANCEL_TOO_LATE : S_OK; }
  HRESULT STDMETHODCALLTYPE Wait(HRESULT* pHrResult, VDS_ASYNC_OUTPUT* pAsyncOut) override {
    if (pHrResult == nullptr || pAsyncOut == nullptr) return E_INVALIDARG;
    done = true;
    *pHrResult = S_OK;
    pAsyncOut->type = VDS_ASYNCOUT_CREATELUN;
    pAsyncOut->cl.pLunUnk = lun;
    if (lun != nullptr) lun->AddRef();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* pHrResult, ULONG* pulPercentCompleted) override {
    if (pHrResult == nullptr || pulPercentCompleted == nullptr) return E_INVALIDARG;
    *pHrResult = done ? S_OK : VDS_E_OPERATION_PENDING;
    *pulPercentCompleted = done ? 100 : 0;
    return S_OK;
  }
};

} // namespace

TEST_CASE("compat vds.h: IIDs and CLSID_VdsLoader have the published bytes") {
  CHECK(guid_is(IID_IVdsAsync, 0xD5D23B6D, 0x5A55, 0x4492, {0x98, 0x89, 0x39, 0x7A, 0x3C, 0x2D, 0x2D, 0xBC}));
  CHECK(guid_is(IID_IVdsService, 0x0818A8EF, 0x9BA9, 0x40D8, {0xA6, 0xF9, 0xE2, 0x28, 0x33, 0xCC, 0x77, 0x1E}));
  CHECK(guid_is(IID_IVdsSubSystem, 0x6FCEE2D3, 0x6D90, 0x4F91, {0x80, 0xE2, 0xA5, 0xC7, 0xCA, 0xAC, 0xA9, 0xD8}));
  CHECK(guid_is(IID_IVdsLun, 0x3540A9C7, 0xE60F, 0x4111, {0xA8, 0x40, 0x8B, 0xBA, 0x6C, 0x2C, 0x83, 0xD8}));
  CHECK(guid_is(CLSID_VdsLoader, 0x9C38ED61, 0xD565, 0x4728, {0xAE, 0xEE, 0xC8, 0x09, 0x52, 0xF0, 0xEC, 0xDE}));
  CHECK(guid_is(IID_IEnumVdsObject, 0x118610B7, 0x8D94, 0x4030, {0xB5, 0xB8, 0x50, 0x08, 0x89, 0x78, 0x8E, 0x4E}));
  // Byte by byte in memory (little-endian Data1..Data3, as on Windows x86/x64).
  const auto* b = reinterpret_cast<const unsigned char*>(&IID_IVdsAsync);
  const unsigned char expected[16] = {0x6D, 0x3B, 0xD2, 0xD5, 0x55, 0x5A, 0x92, 0x44,
                                      0x98, 0x89, 0x39, 0x7A, 0x3C, 0x2D, 0x2D, 0xBC};
  CHECK(std::memcmp(b, expected, 16) == 0);
  // All distinct.
  const GUID* all[] = {&CLSID_VdsLoader, &IID_IVdsServiceLoader, &IID_IVdsService, &IID_IEnumVdsObject,
                       &IID_IVdsAsync,   &IID_IVdsProvider,      &IID_IVdsHwProvider, &IID_IVdsSubSystem,
                       &IID_IVdsController, &IID_IVdsDrive,       &IID_IVdsLun,       &IID_IVdsLunPlex};
  for (std::size_t i = 0; i < std::size(all); ++i) {
    CHECK(*all[i] != GUID_NULL);
    for (std::size_t j = i + 1; j < std::size(all); ++j) CHECK(*all[i] != *all[j]);
  }
}

TEST_CASE("compat vds.h: VDS HRESULTs are failures or successes as on Windows") {
  CHECK(FAILED(VDS_E_OPERATION_PENDING));
  CHECK(FAILED(VDS_E_OBJECT_DELETED));
  CHECK(HRESULT_FACILITY(VDS_E_NOT_ENOUGH_SPACE) == 4);
  CHECK(HRESULT_CODE(VDS_E_OPERATION_PENDING) == 0x2409);
  CHECK(SUCCEEDED(VDS_S_IN_PROGRESS));
  CHECK(SUCCEEDED(VDS_S_STATUSES_INCOMPLETELY_SET));
}

TEST_CASE("compat vds.h: methods sit in the published vtable slots") {
#ifdef LUNSIM_HAVE_VTABLE_SLOT
  CHECK(vtable_slot(&IEnumVdsObject::Next) == 3);
  CHECK(vtable_slot(&IEnumVdsObject::Clone) == 6);
  CHECK(vtable_slot(&IVdsAsync::Cancel) == 3);
  CHECK(vtable_slot(&IVdsAsync::Wait) == 4);
  CHECK(vtable_slot(&IVdsAsync::QueryStatus) == 5);
  CHECK(vtable_slot(&IVdsServiceLoader::LoadService) == 3);
  CHECK(vtable_slot(&IVdsService::QueryProviders) == 6);
  CHECK(vtable_slot(&IVdsService::GetObject) == 9);
  CHECK(vtable_slot(&IVdsService::ClearFlags) == 19);
  CHECK(vtable_slot(&IVdsProvider::GetProperties) == 3);
  CHECK(vtable_slot(&IVdsHwProvider::Refresh) == 5);
  CHECK(vtable_slot(&IVdsSubSystem::CreateLun) == 11);
  CHECK(vtable_slot(&IVdsSubSystem::QueryMaxLunCreateSize) == 14);
  CHECK(vtable_slot(&IVdsController::SetStatus) == 10);
  CHECK(vtable_slot(&IVdsDrive::QueryExtents) == 5);
  CHECK(vtable_slot(&IVdsDrive::SetStatus) == 8);
  CHECK(vtable_slot(&IVdsLun::Extend) == 7);
  CHECK(vtable_slot(&IVdsLun::Delete) == 14);
  CHECK(vtable_slot(&IVdsLun::QueryMaxLunExtendSize) == 19);
  CHECK(vtable_slot(&IVdsLunPlex::ApplyHints) == 7);
#else
  SKIP("pointer-to-member layout is checked on x86-64 Itanium ABI only");
#endif
}

TEST_CASE("compat vds.h: a mock IVdsAsync works through IVdsAsync* as client code uses it") {
  MockAsync lun_holder; // any IUnknown stands in for the LUN
  MockAsync op;
  op.lun = &lun_holder;
  IVdsAsync* async = &op;

  HRESULT hr_op = E_FAIL;
  ULONG pct = 7;
  REQUIRE(async->QueryStatus(&hr_op, &pct) == S_OK);
  CHECK(hr_op == VDS_E_OPERATION_PENDING);
  CHECK(pct == 0);

  VDS_ASYNC_OUTPUT out;
  std::memset(&out, 0, sizeof out);
  HRESULT hr = async->Wait(&hr_op, &out);
  REQUIRE(SUCCEEDED(hr));
  REQUIRE(SUCCEEDED(hr_op));
  CHECK(out.type == VDS_ASYNCOUT_CREATELUN);
  REQUIRE(out.cl.pLunUnk == static_cast<IUnknown*>(&lun_holder));
  CHECK(lun_holder.refs == 2);
  CHECK(out.cl.pLunUnk->Release() == 1);

  CHECK(async->Cancel() == VDS_E_CANCEL_TOO_LATE);
  CHECK(async->Wait(nullptr, &out) == E_INVALIDARG);

  void* q = nullptr;
  CHECK(async->QueryInterface(IID_IVdsAsync, &q) == S_OK);
  CHECK(q == static_cast<void*>(async));
  CHECK(async->Release() == 1);
  CHECK(async->QueryInterface(IID_IVdsLun, &q) == E_NOINTERFACE);
}
