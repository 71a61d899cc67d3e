// The COM/VDS compatibility layer (sim/com): adapters, reference counts through the Ledger,
// blocking calls on fibers, the loader and service, hung clients.
//
// Client code runs as the entry point `probe_entry`, which calls the test's body (a lambda,
// through `current_body`: the tests run one at a time, on one thread).
#include "sim/com/adapters.hpp"
#include "sim/com/client.hpp"
#include "sim/engine/task.hpp"
#include "sim/provider/client.hpp"
#include "sim/provider/faults.hpp"
#include "sim/provider/provider.hpp"
#include "tests/support/provider_fixture.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

using namespace sim;
using namespace std::chrono_literals;
using provider::Holder;

namespace {

std::function<HRESULT(IVdsSubSystem*)>* current_body = nullptr;

extern "C" HRESULT probe_entry(IVdsSubSystem* s) { return (*current_body)(s); }
extern "C" int probe_main(int, char**) { return (*current_body)(nullptr) == S_OK ? 0 : 1; }
extern "C" void probe_void_main(void) { (void)(*current_body)(nullptr); }  // the body's HRESULT is lost

const Holder probe = Holder::client("probe");

/// A subsystem of 6 drives (tests/support/provider_fixture.hpp), its provider, and one client.
struct ComFixture {
  explicit ComFixture(std::vector<provider::FaultSpec> faults = {})
      : plan(f.sim, std::move(faults)), prov(f.ledger, "provider", &plan) {
    f.subsystem.set_faults(&plan);
    prov.add_subsystem(f.subsystem);
  }
  ~ComFixture() { current_body = nullptr; }

  /// Runs `body` as an entry of `kind` until no event is left; then end().
  const com::Outcome& run(std::function<HRESULT(IVdsSubSystem*)> client_body,
                          com::EntryKind kind = com::EntryKind::Subsystem, com::ClientOptions options = {}) {
    body = std::move(client_body);
    current_body = &body;
    com::Entry e = kind == com::EntryKind::Main       ? com::Entry::of("probe", &probe_main)
                   : kind == com::EntryKind::VoidMain ? com::Entry::of("probe", &probe_void_main)
                                                      : com::Entry::of("probe", &probe_entry);
    REQUIRE(e.kind() == kind);
    client = std::make_unique<com::Client>(f.sim, prov, &f.subsystem, e, probe, com::ServiceConfig{}, options);
    client->start();
    f.sim.run();
    client->end();
    return client->outcome();
  }
  /// The client's references on `o`, and those the compat layer holds for it ("probe/com").
  std::uint32_t held(const provider::VdsObject& o) const { return f.ledger.held_by(o.ledger_id(), probe); }
  std::uint32_t held_com(const provider::VdsObject& o) const {
    return f.ledger.held_by(o.ledger_id(), Holder::client("probe/com"));
  }
  std::uint32_t held_total() const {
    std::uint32_t n = 0;
    for (const auto& o : f.ledger.outstanding())
      if (o.holder == probe) n += o.count;
    return n;
  }

  testing::ProviderFixture f;
  provider::FaultPlan plan;
  provider::Provider prov;
  std::function<HRESULT(IVdsSubSystem*)> body;
  std::unique_ptr<com::Client> client;
};

/// Client code that allocates (a drive list on the heap), and only that: a hung client's
/// allocations leak when its fiber is torn down, and LeakSanitizer is told so by the
/// suppression `leak:client_drive_list` (tests/com/lsan-hung-clients.supp), which matches no
/// allocation of lunsim's.
[[gnu::noinline]] std::vector<GUID> client_drive_list(ComFixture& c) {
  std::vector<GUID> drives;
  for (std::size_t i = 0; i < 3; ++i) drives.push_back(com::to_guid(c.f.subsystem.drive(i).id()));
  return drives;
}

/// CreateLun (RAID-5 on drives 0..2, 256 MiB) and Wait; the LUN's IUnknown in *lun.
HRESULT create_and_wait(IVdsSubSystem* s, ComFixture& c, IUnknown** lun, HRESULT* op, VDS_ASYNC_OUTPUT_TYPE* type) {
  std::vector<GUID> drives = client_drive_list(c);
  IVdsAsync* async = nullptr;
  HRESULT hr = s->CreateLun(VDS_LT_RAID5, 256ULL << 20, drives.data(), 3, nullptr, nullptr, &async);
  if (FAILED(hr) || async == nullptr) return FAILED(hr) ? hr : E_UNEXPECTED;
  VDS_ASYNC_OUTPUT out;
  hr = async->Wait(op, &out);
  *type = out.type;
  *lun = out.cl.pLunUnk;
  async->Release();
  return hr;
}

} // namespace

TEST_CASE("Wait blocks the client's fiber and resumes it exactly when the handle is signalled, as the coroutine client") {
  // The same CreateLun through the reference coroutine client on an identical array.
  testing::ProviderFixture twin;
  provider::ClientRecord rec;
  provider::CreateLunRequest req{static_cast<std::int32_t>(provider::LunType::Raid5), base::Bytes{256ULL << 20},
                                 twin.ids({0, 1, 2}), {}};
  engine::spawn(twin.sim, provider::reference_create_lun(twin.subsystem, req, twin.me, rec));
  twin.sim.run();
  REQUIRE(rec.result == provider::hr::s_ok);
  const base::Time expected = twin.subsystem.handles().front()->completion_time();
  rec.lun->release(twin.me);

  ComFixture c;
  base::Time resumed = base::never;
  const com::Outcome& o = c.run([&](IVdsSubSystem* s) {
    IUnknown* lun = nullptr;
    HRESULT op = E_FAIL;
    VDS_ASYNC_OUTPUT_TYPE type{};
    const HRESULT hr = create_and_wait(s, c, &lun, &op, &type);
    resumed = c.f.sim.now();
    CHECK(hr == S_OK);
    CHECK(op == S_OK);
    CHECK(type == VDS_ASYNCOUT_CREATELUN);
    REQUIRE(lun != nullptr);
    lun->Release();
    return S_OK;
  });
  CHECK(o.finished);
  CHECK(o.hresult == S_OK);
  CHECK(resumed == expected);  // exact: both wake inside the completion event
  CHECK(o.finished_at == expected);
  CHECK(o.create_lun_calls == 1);
  CHECK(o.create_lun_size == base::Bytes{256ULL << 20});
  CHECK(c.held_total() == 0);
  CHECK(c.client->live_adapters() == 0);
}

TEST_CASE("AddRef and Release are real counts mirrored in the ledger, the last Release frees the adapter") {
  ComFixture c;
  c.run([&](IVdsSubSystem* s) {
    // The caller holds one reference on the subsystem it passed (the compat layer's holder).
    CHECK(c.held_com(c.f.subsystem) == 1);
    CHECK(c.held(c.f.subsystem) == 0);
    CHECK(s->AddRef() == 2);
    CHECK(c.held(c.f.subsystem) == 1);
    CHECK(s->Release() == 1);
    CHECK(c.held(c.f.subsystem) == 0);

    IVdsProvider* p = nullptr;
    REQUIRE(s->GetProvider(&p) == S_OK);
    CHECK(c.held(c.prov) == 1);
    const std::size_t live = c.client->live_adapters();
    CHECK(p->AddRef() == 2);
    CHECK(p->Release() == 1);
    CHECK(c.client->live_adapters() == live);
    CHECK(p->Release() == 0);  // the last one: the adapter is gone
    CHECK(c.held(c.prov) == 0);
    CHECK(c.client->live_adapters() == live - 1);
    return S_OK;
  });
  CHECK(c.held_total() == 0);  // the caller dropped its subsystem reference at the end
  CHECK(c.f.ledger.over_releases().empty());
}

TEST_CASE("QueryInterface answers by IID with one IUnknown per object, E_NOINTERFACE and E_POINTER") {
  ComFixture c;
  c.run([&](IVdsSubSystem* s) {
    IUnknown* u1 = nullptr;
    IUnknown* u2 = nullptr;
    REQUIRE(s->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u1)) == S_OK);
    REQUIRE(s->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&u2)) == S_OK);
    CHECK(u1 == u2);
    CHECK(static_cast<void*>(u1) == static_cast<void*>(s));
    IVdsSubSystem* again = nullptr;
    REQUIRE(u1->QueryInterface(IID_IVdsSubSystem, reinterpret_cast<void**>(&again)) == S_OK);
    CHECK(again == s);
    CHECK(c.held(c.f.subsystem) == 3);
    u1->Release();
    u2->Release();
    again->Release();
    IVdsLun* lun = reinterpret_cast<IVdsLun*>(&c);  // must be overwritten with null
    CHECK(s->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&lun)) == E_NOINTERFACE);
    CHECK(lun == nullptr);
    CHECK(s->QueryInterface(IID_IVdsSubSystem, nullptr) == E_POINTER);
    // The provider's two interfaces are one object.
    IVdsProvider* p = nullptr;
    REQUIRE(s->GetProvider(&p) == S_OK);
    IVdsHwProvider* hw = nullptr;
    REQUIRE(p->QueryInterface(IID_IVdsHwProvider, reinterpret_cast<void**>(&hw)) == S_OK);
    IUnknown* pu = nullptr;
    IUnknown* hu = nullptr;
    REQUIRE(p->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&pu)) == S_OK);
    REQUIRE(hw->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&hu)) == S_OK);
    CHECK(pu == hu);
    CHECK(c.held(c.prov) == 4);
    for (IUnknown* x : {static_cast<IUnknown*>(p), static_cast<IUnknown*>(hw), pu, hu}) x->Release();
    return S_OK;
  });
  CHECK(c.held_total() == 0);
}

TEST_CASE("Property structs are filled from the model with CoTaskMemAlloc'd wide strings") {
  ComFixture c;
  c.run([&](IVdsSubSystem* s) {
    VDS_SUB_SYSTEM_PROP sp;
    ZeroMemory(&sp, sizeof sp);
    REQUIRE(s->GetProperties(&sp) == S_OK);
    CHECK(std::wstring(sp.pwszFriendlyName) == L"array");
    CHECK(com::to_object_id(sp.id) == c.f.subsystem.id());
    CHECK(sp.status == VDS_SSS_ONLINE);
    CoTaskMemFree(sp.pwszFriendlyName);
    CoTaskMemFree(sp.pwszIdentification);

    IVdsDrive* d = nullptr;
    REQUIRE(s->GetDrive(0, 2, &d) == S_OK);
    VDS_DRIVE_PROP dp;
    REQUIRE(d->GetProperties(&dp) == S_OK);
    CHECK(std::wstring(dp.pwszFriendlyName) == L"d2");
    CHECK(dp.ullSize == 1ULL << 30);
    CHECK(dp.sSlotNumber == 2);
    CHECK(com::to_object_id(dp.id) == c.f.id(2));
    CoTaskMemFree(dp.pwszFriendlyName);
    CoTaskMemFree(dp.pwszIdentification);
    d->Release();
    CHECK(s->GetDrive(0, 99, &d) == VDS_E_OBJECT_NOT_FOUND);

    IUnknown* lun = nullptr;
    HRESULT op = E_FAIL;
    VDS_ASYNC_OUTPUT_TYPE type{};
    REQUIRE(create_and_wait(s, c, &lun, &op, &type) == S_OK);
    IVdsLun* l = nullptr;
    REQUIRE(lun->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&l)) == S_OK);
    VDS_LUN_PROP lp;
    REQUIRE(l->GetProperties(&lp) == S_OK);
    CHECK(lp.ullSize == 256ULL << 20);
    CHECK(lp.type == VDS_LT_RAID5);
    CHECK(lp.status == VDS_LS_ONLINE);
    CoTaskMemFree(lp.pwszFriendlyName);
    CoTaskMemFree(lp.pwszIdentification);
    CoTaskMemFree(lp.pwszUnmaskingList);
    l->Release();
    lun->Release();
    return S_OK;
  });
  CHECK(c.held_total() == 0);
}

TEST_CASE("VDS object ids and GUIDs convert both ways, printed alike") {
  const provider::ObjectId id = provider::ObjectId::derive("lun", "array/lun1");
  const GUID g = com::to_guid(id);
  CHECK(com::to_object_id(g) == id);
  char buf[40];
  std::snprintf(buf, sizeof buf, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g.Data1, g.Data2, g.Data3,
                g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  CHECK(std::string(buf) == id.to_string());
}

TEST_CASE("Enumerators: Next hands out references and S_FALSE at the end, Skip, Reset and Clone") {
  ComFixture c;
  c.run([&](IVdsSubSystem* s) {
    IEnumVdsObject* e = nullptr;
    REQUIRE(s->QueryDrives(&e) == S_OK);
    IUnknown* items[4] = {};
    ULONG n = 0;
    REQUIRE(e->Next(4, items, &n) == S_OK);
    CHECK(n == 4);
    CHECK(c.held(c.f.subsystem.drive(0)) == 1);      // ours
    CHECK(c.held_com(c.f.subsystem.drive(0)) == 1);  // the enumerator's
    for (IUnknown* u : items) u->Release();
    CHECK(e->Skip(1) == S_OK);
    REQUIRE(e->Next(4, items, &n) == S_FALSE);  // one left
    CHECK(n == 1);
    items[0]->Release();
    CHECK(e->Next(1, items, &n) == S_FALSE);
    CHECK(n == 0);
    CHECK(e->Next(2, items, nullptr) == E_INVALIDARG);
    CHECK(e->Reset() == S_OK);
    IEnumVdsObject* copy = nullptr;
    REQUIRE(e->Clone(&copy) == S_OK);
    e->Release();  // the clone keeps its own references
    CHECK(c.held_com(c.f.subsystem.drive(5)) == 1);
    REQUIRE(copy->Next(1, items, nullptr) == S_OK);
    IVdsDrive* d = nullptr;
    CHECK(items[0]->QueryInterface(IID_IVdsDrive, reinterpret_cast<void**>(&d)) == S_OK);
    d->Release();
    items[0]->Release();
    copy->Release();
    return S_OK;
  });
  CHECK(c.held_total() == 0);
  CHECK(c.client->live_adapters() == 0);
}

TEST_CASE("The loader and service: CoInitializeEx first, CLSID_VdsLoader only, ready after one simulated second") {
  ComFixture c;
  base::Time ready_at = base::never;
  const com::Outcome& o = c.run(
      [&](IVdsSubSystem*) {
        IVdsServiceLoader* loader = nullptr;
        CHECK(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader,
                               reinterpret_cast<void**>(&loader)) == CO_E_NOTINITIALIZED);
        REQUIRE(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_OK);
        CHECK(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_FALSE);
        CHECK(CoCreateInstance(IID_IVdsLun, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader,
                               reinterpret_cast<void**>(&loader)) == REGDB_E_CLASSNOTREG);
        REQUIRE(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader,
                                 reinterpret_cast<void**>(&loader)) == S_OK);
        IVdsService* service = nullptr;
        wchar_t remote[] = L"otherhost";
        CHECK(loader->LoadService(remote, &service) == HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE));
        REQUIRE(loader->LoadService(nullptr, &service) == S_OK);
        loader->Release();
        CHECK(service->IsServiceReady() == S_FALSE);
        IEnumVdsObject* providers = nullptr;
        CHECK(service->QueryProviders(VDS_QUERY_HARDWARE_PROVIDERS, &providers) == VDS_E_INITIALIZE_NOT_CALLED);
        REQUIRE(service->WaitForServiceReady() == S_OK);
        ready_at = c.f.sim.now();
        CHECK(service->IsServiceReady() == S_OK);
        REQUIRE(service->QueryProviders(VDS_QUERY_SOFTWARE_PROVIDERS, &providers) == S_OK);
        IUnknown* u = nullptr;
        ULONG n = 0;
        CHECK(providers->Next(1, &u, &n) == S_FALSE);  // no software provider here
        providers->Release();
        REQUIRE(service->QueryProviders(VDS_QUERY_HARDWARE_PROVIDERS, &providers) == S_OK);
        REQUIRE(providers->Next(1, &u, &n) == S_OK);
        providers->Release();
        IVdsHwProvider* hw = nullptr;
        REQUIRE(u->QueryInterface(IID_IVdsHwProvider, reinterpret_cast<void**>(&hw)) == S_OK);
        u->Release();
        IEnumVdsObject* subs = nullptr;
        REQUIRE(hw->QuerySubSystems(&subs) == S_OK);
        hw->Release();
        REQUIRE(subs->Next(1, &u, &n) == S_OK);
        subs->Release();
        IVdsSubSystem* s = nullptr;
        REQUIRE(u->QueryInterface(IID_IVdsSubSystem, reinterpret_cast<void**>(&s)) == S_OK);
        u->Release();
        VDS_SUB_SYSTEM_PROP sp;
        REQUIRE(s->GetProperties(&sp) == S_OK);
        CHECK(std::wstring(sp.pwszFriendlyName) == L"array");
        CoTaskMemFree(sp.pwszFriendlyName);
        CoTaskMemFree(sp.pwszIdentification);
        s->Release();
        service->Release();
        CoUninitialize();
        return S_OK;
      },
      com::EntryKind::Main);
  CHECK(o.finished);
  CHECK(o.exit_code == 0);
  CHECK(ready_at == base::at(1s));
  CHECK(c.held_total() == 0);  // loader, service, enumerators and objects all released
}

TEST_CASE("A client blocked on a never-completing handle is hung: where and since when, its references, a clean teardown") {
  provider::FaultSpec never;
  never.op = provider::FaultOp::CreateLun;
  never.behavior = provider::Behavior::NeverCompletes;
  ComFixture c({never});
  bool returned = false;
  c.f.sim.run_until(base::at(2s));  // the client starts later than time 0
  const com::Outcome& o = c.run([&](IVdsSubSystem* s) {
    IUnknown* lun = nullptr;
    HRESULT op = S_OK;
    VDS_ASYNC_OUTPUT_TYPE type{};
    (void)create_and_wait(s, c, &lun, &op, &type);
    returned = true;  // never reached
    return S_OK;
  });
  CHECK_FALSE(o.finished);
  CHECK_FALSE(returned);
  CHECK(o.blocked_in == "IVdsAsync::Wait");
  CHECK(o.blocked_since == base::at(2s));
  // What it holds: the async handle only (the caller dropped the subsystem reference).
  CHECK(c.held_total() == 1);
  CHECK(c.held(*c.f.subsystem.handles().front()) == 1);
  c.client.reset();  // tears the fiber down without running client code; frees the adapters
  CHECK_FALSE(returned);
}

TEST_CASE("Releasing what the client does not own is recorded as an over-release, without freeing") {
  SECTION("the subsystem the caller passed, then used on") {
    ComFixture c;
    c.run([&](IVdsSubSystem* s) {
      const std::size_t live = c.client->live_adapters();
      s->Release();  // the caller's reference, not the client's
      CHECK(c.client->live_adapters() == live);  // still alive: the caller holds it
      VDS_SUB_SYSTEM_PROP sp;
      CHECK(s->GetProperties(&sp) == S_OK);
      CoTaskMemFree(sp.pwszFriendlyName);
      CoTaskMemFree(sp.pwszIdentification);
      return S_OK;
    });
    REQUIRE(c.f.ledger.over_releases().size() == 1);
    CHECK(c.f.ledger.over_releases().front().holder == probe);
    CHECK(c.client->live_adapters() == 0);  // the caller's reference went at the end
  }
  SECTION("an object of an enumerator, released once too often") {
    ComFixture c;
    c.run([&](IVdsSubSystem* s) {
      IEnumVdsObject* e = nullptr;
      REQUIRE(s->QueryDrives(&e) == S_OK);
      IUnknown* d = nullptr;
      REQUIRE(e->Next(1, &d, nullptr) == S_OK);
      CHECK(d->Release() == 1);  // the enumerator still holds it
      CHECK(d->Release() == 1);  // not ours any more: recorded, nothing freed
      CHECK(e->Reset() == S_OK);
      REQUIRE(e->Next(1, &d, nullptr) == S_OK);  // the same adapter, alive
      d->Release();
      e->Release();
      return S_OK;
    });
    CHECK(c.f.ledger.over_releases().size() == 1);
    CHECK(c.held_total() == 0);
    CHECK(c.client->live_adapters() == 0);
  }
  SECTION("a handle a failed call handed out (sync_error_with_handle)") {
    provider::FaultSpec f;
    f.op = provider::FaultOp::CreateLun;
    f.behavior = provider::Behavior::SyncErrorWithHandle;
    ComFixture c({f});
    c.run([&](IVdsSubSystem* s) {
      IVdsAsync* async = nullptr;
      const HRESULT hr = s->CreateLun(VDS_LT_RAID5, 256ULL << 20, nullptr, 0, nullptr, nullptr, &async);
      CHECK(FAILED(hr));
      REQUIRE(async != nullptr);
      const std::size_t live = c.client->live_adapters();
      CHECK(async->Release() == 0);  // not ours: nothing is freed
      CHECK(c.client->live_adapters() == live);
      return hr;
    });
    REQUIRE(c.f.ledger.over_releases().size() == 1);
    CHECK(c.f.ledger.over_releases().front().name == "1:create_lun:sync-error");
  }
}

TEST_CASE("Calls outside a client's fiber: COM functions say CO_E_NOTINITIALIZED, blocking calls RPC_E_WRONG_THREAD") {
  // A client blocked (here hung) leaves no apartment current behind, nor does its teardown.
  {
    provider::FaultSpec never;
    never.op = provider::FaultOp::CreateLun;
    never.behavior = provider::Behavior::NeverCompletes;
    ComFixture c({never});
    c.run([&](IVdsSubSystem* s) {
      CHECK(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_OK);
      IVdsAsync* async = nullptr;
      REQUIRE(s->CreateLun(VDS_LT_RAID5, 256ULL << 20, nullptr, 0, nullptr, nullptr, &async) == S_OK);
      HRESULT op = S_OK;
      VDS_ASYNC_OUTPUT out;
      (void)async->Wait(&op, &out);
      return S_OK;
    });
    CHECK(com::Apartment::current() == nullptr);
  }
  CHECK(com::Apartment::current() == nullptr);
  void* p = nullptr;
  CHECK(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader, &p) == CO_E_NOTINITIALIZED);
  CHECK(p == nullptr);
  CHECK(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == E_UNEXPECTED);

  testing::ProviderFixture f;
  provider::Provider prov(f.ledger, "provider");
  com::Outcome outcome;
  com::Apartment a(f.sim, prov, probe, com::ServiceConfig{}, outcome);
  CHECK(a.sleep_until(base::at(1s), "test") == RPC_E_WRONG_THREAD);  // no fiber
  engine::Fiber fiber(f.sim, [](engine::Fiber&) {});
  a.set_fiber(&fiber);
  CHECK(a.sleep_until(base::at(1s), "test") == RPC_E_WRONG_THREAD);  // a fiber, but not running it
}

TEST_CASE("CoInitializeEx counts: each call is undone by one CoUninitialize, and the model cannot change") {
  ComFixture c;
  c.run([](IVdsSubSystem*) {
    CHECK(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_OK);
    CHECK(CoInitializeEx(nullptr, COINIT_MULTITHREADED) == S_FALSE);
    CHECK(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED) == RPC_E_CHANGED_MODE);
    CoUninitialize();
    void* p = nullptr;
    CHECK(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader, &p) == S_OK);
    static_cast<IUnknown*>(p)->Release();
    CoUninitialize();
    CHECK(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader, &p) == CO_E_NOTINITIALIZED);
    return S_OK;
  });
  CHECK(c.held_total() == 0);
}

TEST_CASE("A C++ exception escaping the entry point ends the client as crashed, not hung") {
  ComFixture c;
  const com::Outcome& o = c.run([](IVdsSubSystem*) -> HRESULT { throw std::runtime_error("client bug"); });
  CHECK(o.finished);
  CHECK(o.crashed);
  CHECK(o.crash == "exception escaped the entry point: client bug");
  CHECK(o.hresult == E_UNEXPECTED);
  CHECK(com::Apartment::current() == nullptr);
  CHECK(c.held_total() == 0);
}

TEST_CASE("A void main entry is a whole program: returning is success (S_OK), an escaping exception a crash") {
  CHECK(com::to_string(com::EntryKind::VoidMain) == std::string("void_main"));
  CHECK(com::entry_kind_names.parse("void_main") == com::EntryKind::VoidMain);
  CHECK(com::entry_kind_names.accepted() == "subsystem, main, void_main");
  SECTION("returning") {
    ComFixture c;
    base::Time ready_at = base::never;
    const com::Outcome& o = c.run(
        [&](IVdsSubSystem* s) {
          CHECK(s == nullptr);  // a program is handed nothing; it goes through the loader
          REQUIRE(CoInitialize(nullptr) == S_OK);
          IVdsServiceLoader* loader = nullptr;
          REQUIRE(CoCreateInstance(CLSID_VdsLoader, nullptr, CLSCTX_LOCAL_SERVER, IID_IVdsServiceLoader,
                                   reinterpret_cast<void**>(&loader)) == S_OK);
          IVdsService* service = nullptr;
          REQUIRE(loader->LoadService(nullptr, &service) == S_OK);
          loader->Release();
          CHECK(service->WaitForServiceReady() == S_OK);
          ready_at = c.f.sim.now();
          service->Release();
          CoUninitialize();
          return E_FAIL;  // lost: a void main has no status, so returning is success
        },
        com::EntryKind::VoidMain);
    CHECK(o.finished);
    CHECK_FALSE(o.crashed);
    CHECK(o.hresult == S_OK);
    CHECK(o.exit_code == 0);
    CHECK(ready_at == base::at(1s));  // it blocked in WaitForServiceReady like any client
    CHECK(o.finished_at == base::at(1s));
    CHECK(c.held_total() == 0);
  }
  SECTION("an escaping exception") {
    ComFixture c;
    const com::Outcome& o =
        c.run([](IVdsSubSystem*) -> HRESULT { throw std::runtime_error("sample bug"); }, com::EntryKind::VoidMain);
    CHECK(o.finished);
    CHECK(o.crashed);
    CHECK(o.crash == "exception escaped the entry point: sample bug");
    CHECK(o.hresult == E_UNEXPECTED);
  }
}

TEST_CASE("A LUN has one plex: QueryPlexes, IVdsLunPlex properties and GetLun back to the same LUN") {
  ComFixture c;
  c.run([&](IVdsSubSystem* s) {
    IUnknown* unk = nullptr;
    HRESULT op = E_FAIL;
    VDS_ASYNC_OUTPUT_TYPE type{};
    REQUIRE(create_and_wait(s, c, &unk, &op, &type) == S_OK);
    IVdsLun* lun = nullptr;
    REQUIRE(unk->QueryInterface(IID_IVdsLun, reinterpret_cast<void**>(&lun)) == S_OK);
    unk->Release();
    IEnumVdsObject* plexes = nullptr;
    REQUIRE(lun->QueryPlexes(&plexes) == S_OK);
    IUnknown* pu = nullptr;
    ULONG n = 0;
    REQUIRE(plexes->Next(2, &pu, &n) == S_FALSE);
    REQUIRE(n == 1);
    plexes->Release();
    IVdsLunPlex* plex = nullptr;
    REQUIRE(pu->QueryInterface(IID_IVdsLunPlex, reinterpret_cast<void**>(&plex)) == S_OK);
    pu->Release();
    VDS_LUN_PLEX_PROP pp;
    REQUIRE(plex->GetProperties(&pp) == S_OK);
    CHECK(pp.ullSize == 256ULL << 20);
    CHECK(pp.type == VDS_LPT_RAID5);
    CHECK(pp.status == VDS_LPS_ONLINE);
    CHECK(pp.ulStripeSize == 64 * 1024);
    IVdsLun* back = nullptr;
    REQUIRE(plex->GetLun(&back) == S_OK);
    CHECK(back == lun);
    back->Release();
    plex->Release();
    lun->Release();
    return S_OK;
  });
  CHECK(c.held_total() == 0);
  CHECK(c.f.ledger.outstanding().empty());
  CHECK(c.client->live_adapters() == 0);
}
