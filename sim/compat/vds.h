/* lunsim's <vds.h> for Linux/g++ (issue 10): the Virtual Disk Service declarations that VDS
 * client and hardware-provider code uses (the public vds.h / vdshwprv.h / vdserr.h subset), with
 * the real names, enumerator values, struct layouts, IIDs/CLSIDs and vtable method order, so such
 * code compiles unchanged against sim/compat. Self-contained: only "windows.h" from this folder.
 *
 * Where the values come from: enumerations, structs and method order follow the public SDK
 * headers vdshwprv.h and vds.h as redistributed in public repositories (MIDL output and the
 * PellesC / mingw-w64 copies), cross-checked with the Win32 VDS documentation and [MS-VDS];
 * IIDs from the MIDL_INTERFACE uuids of those headers; CLSID_VdsLoader and IID_IVdsServiceLoader
 * from the vds.h GUID definitions; the VDS_E_* / VDS_S_* codes are those of vdserr.h that lunsim
 * uses (sim/provider/hresult.hpp, VDS-REFERENCE.md section 10). This header is written for
 * lunsim; it copies no header text.
 *
 * Differences from Windows: WCHAR is wchar_t, 32-bit on Linux (16-bit on Windows), so structs
 * holding WCHAR arrays differ in size; structs with LPWSTR members differ only by the pointer
 * width, as on 64-bit Windows. Interfaces are C++ abstract structs (no C vtable structs, no
 * COBJMACROS). Types only named in a signature (VDS_LUN_INFORMATION, VDS_DRIVE_LETTER_PROP,
 * VDS_FILE_SYSTEM_TYPE_PROP, VDS_NOTIFICATION) are declared but not defined; interfaces outside
 * the hardware-provider subset (IVdsAdviseSink, IVdsPack, ...) are forward declarations.
 */
#ifndef LUNSIM_COMPAT_VDS_H
#define LUNSIM_COMPAT_VDS_H

#include "windows.h"

#ifdef __cplusplus

/* ---- HRESULTs (vdserr.h values). Functional casts rather than vdserr.h's (HRESULT) casts, so
 * client code built with -Wold-style-cast stays quiet; the value and type are the same. ---- */
#define VDS_E_NOT_SUPPORTED (HRESULT(0x80042400))
#define VDS_E_INITIALIZED_FAILED (HRESULT(0x80042401))
#define VDS_E_INITIALIZE_NOT_CALLED (HRESULT(0x80042402))
#define VDS_E_ANOTHER_CALL_IN_PROGRESS (HRESULT(0x80042404))
#define VDS_E_OBJECT_NOT_FOUND (HRESULT(0x80042405))
#define VDS_E_OPERATION_PENDING (HRESULT(0x80042409))
#define VDS_E_OBJECT_DELETED (HRESULT(0x8004240B))
#define VDS_E_CANCEL_TOO_LATE (HRESULT(0x8004240C))
#define VDS_E_OPERATION_CANCELED (HRESULT(0x8004240D))
#define VDS_E_NOT_ENOUGH_SPACE (HRESULT(0x8004240F))
#define VDS_E_NOT_ENOUGH_DRIVE (HRESULT(0x80042410))
#define VDS_E_DEVICE_IN_USE (HRESULT(0x80042413))
#define VDS_E_INVALID_OPERATION (HRESULT(0x80042415))
#define VDS_E_UNRECOVERABLE_ERROR (HRESULT(0x80042419))
#define VDS_E_PROVIDER_INITIALIZATION_FAILED (HRESULT(0x8004241C))
#define VDS_E_OBJECT_EXISTS (HRESULT(0x8004241D))
#define VDS_E_PROVIDER_CACHE_CORRUPT (HRESULT(0x8004241F))
#define VDS_E_INCOMPATIBLE_FILE_SYSTEM (HRESULT(0x80042425))
#define VDS_E_INCOMPATIBLE_MEDIA (HRESULT(0x80042426))
#define VDS_E_ACCESS_DENIED (HRESULT(0x80042427))
#define VDS_E_OBJECT_STATUS_FAILED (HRESULT(0x80042431))
#define VDS_E_BAD_PROVIDER_DATA (HRESULT(0x80042441))
#define VDS_E_PROVIDER_FAILURE (HRESULT(0x80042442))
#define VDS_E_INTERNAL_ERROR (HRESULT(0x80042448))
#define VDS_E_ASYNC_OBJECT_FAILURE (HRESULT(0x8004244E))
#define VDS_E_OBJECT_OUT_OF_SYNC (HRESULT(0x80042453))
#define VDS_E_TIMEOUT (HRESULT(0x8004245F))
#define VDS_E_RETRY (HRESULT(0x80042463))
#define VDS_E_PROVIDER_EXITING (HRESULT(0x80042514))
#define VDS_E_INVALID_STRIPE_SIZE (HRESULT(0x80042525))
#define VDS_E_INVALID_DISK_COUNT (HRESULT(0x80042526))
#define VDS_E_PROVIDER_INTERNAL_ERROR (HRESULT(0x80042572))
#define VDS_E_UNRECOVERABLE_PROVIDER_ERROR (HRESULT(0x80042575))
#define VDS_E_NAME_NOT_UNIQUE (HRESULT(0x80042701))
#define VDS_E_PROVIDER_CACHE_OUTOFSYNC (HRESULT(0x80042712))
#define VDS_E_SHRINK_OVER_DATA (HRESULT(0x80042816))
#define VDS_E_INVALID_SHRINK_SIZE (HRESULT(0x80042817))
#define VDS_E_LUN_DISK_MISSING (HRESULT(0x80042818))
#define VDS_E_LUN_DISK_FAILED (HRESULT(0x80042819))
#define VDS_E_LUN_DISK_NOT_READY (HRESULT(0x8004281A))
#define VDS_E_LUN_DISK_NO_MEDIA (HRESULT(0x8004281B))
#define VDS_E_LUN_NOT_READY (HRESULT(0x8004281C))
#define VDS_E_LUN_OFFLINE (HRESULT(0x8004281D))
#define VDS_E_LUN_FAILED (HRESULT(0x8004281E))
#define VDS_E_INITIATOR_ADAPTER_NOT_FOUND (HRESULT(0x80042900))
#define VDS_E_TARGET_PORTAL_NOT_FOUND (HRESULT(0x80042901))
#define VDS_E_INVALID_PORT_PATH (HRESULT(0x80042902))
#define VDS_E_INVALID_ISCSI_TARGET_NAME (HRESULT(0x80042903))
#define VDS_E_SUBSYSTEM_ID_IS_NULL (HRESULT(0x80042907))
#define VDS_E_REBOOT_REQUIRED (HRESULT(0x8004290C))
#define VDS_E_INVALID_PATH (HRESULT(0x8004291B))
#define VDS_E_INVALID_ISCSI_PATH (HRESULT(0x8004291C))
#define VDS_E_SHRINK_LUN_NOT_UNMASKED (HRESULT(0x8004291D))
#define VDS_E_LUN_UPDATE_DISK (HRESULT(0x8004291F))
#define VDS_E_INVALID_STATE (HRESULT(0x80042A05))
#define VDS_E_SHRINK_EXTEND_UNALIGNED (HRESULT(0x80042B00))
#define VDS_S_IN_PROGRESS (HRESULT(0x0004244D))
#define VDS_S_NAME_TRUNCATED (HRESULT(0x00042700))
#define VDS_S_STATUSES_INCOMPLETELY_SET (HRESULT(0x00042702))
#define VDS_S_ALREADY_EXISTS (HRESULT(0x00042714))
#define VDS_S_PROPERTIES_INCOMPLETE (HRESULT(0x00042715))

/* ---- Forward declarations ---- */
struct IEnumVdsObject;
struct IVdsAsync;
struct IVdsAdviseSink;
struct IVdsServiceLoader;
struct IVdsService;
struct IVdsProvider;
struct IVdsHwProvider;
struct IVdsSubSystem;
struct IVdsController;
struct IVdsDrive;
struct IVdsLun;
struct IVdsLunPlex;

typedef struct _VDS_LUN_INFORMATION VDS_LUN_INFORMATION;           /* vdslun.h; not defined here */
typedef struct _VDS_DRIVE_LETTER_PROP VDS_DRIVE_LETTER_PROP;       /* vds.h; not defined here */
typedef struct _VDS_FILE_SYSTEM_TYPE_PROP VDS_FILE_SYSTEM_TYPE_PROP; /* vds.h; not defined here */
typedef struct _VDS_NOTIFICATION VDS_NOTIFICATION;                 /* vds.h; not defined here */

/* ---- Enumerations ---- */
typedef enum _VDS_OBJECT_TYPE {
  VDS_OT_UNKNOWN = 0,
  VDS_OT_PROVIDER = 1,
  VDS_OT_PACK = 10,
  VDS_OT_VOLUME = 11,
  VDS_OT_VOLUME_PLEX = 12,
  VDS_OT_DISK = 13,
  VDS_OT_SUB_SYSTEM = 30,
  VDS_OT_CONTROLLER = 31,
  VDS_OT_DRIVE = 32,
  VDS_OT_LUN = 33,
  VDS_OT_LUN_PLEX = 34,
  VDS_OT_PORT = 35,
  VDS_OT_PORTAL = 36,
  VDS_OT_TARGET = 37,
  VDS_OT_PORTAL_GROUP = 38,
  VDS_OT_STORAGE_POOL = 39,
  VDS_OT_HBAPORT = 90,
  VDS_OT_INIT_ADAPTER = 91,
  VDS_OT_INIT_PORTAL = 92,
  VDS_OT_ASYNC = 100,
  VDS_OT_ENUM = 101,
  VDS_OT_VDISK = 200,
  VDS_OT_OPEN_VDISK = 201
} VDS_OBJECT_TYPE;

typedef enum _VDS_PROVIDER_TYPE {
  VDS_PT_UNKNOWN = 0,
  VDS_PT_SOFTWARE = 1,
  VDS_PT_HARDWARE = 2,
  VDS_PT_VIRTUALDISK = 3,
  VDS_PT_MAX = 4
} VDS_PROVIDER_TYPE;

typedef enum _VDS_QUERY_PROVIDER_FLAG {
  VDS_QUERY_SOFTWARE_PROVIDERS = 0x1,
  VDS_QUERY_HARDWARE_PROVIDERS = 0x2,
  VDS_QUERY_VIRTUALDISK_PROVIDERS = 0x4
} VDS_QUERY_PROVIDER_FLAG;

typedef enum _VDS_ASYNC_OUTPUT_TYPE {
  VDS_ASYNCOUT_UNKNOWN = 0,
  VDS_ASYNCOUT_CREATEVOLUME = 1,
  VDS_ASYNCOUT_EXTENDVOLUME = 2,
  VDS_ASYNCOUT_SHRINKVOLUME = 3,
  VDS_ASYNCOUT_ADDVOLUMEPLEX = 4,
  VDS_ASYNCOUT_BREAKVOLUMEPLEX = 5,
  VDS_ASYNCOUT_REMOVEVOLUMEPLEX = 6,
  VDS_ASYNCOUT_REPAIRVOLUMEPLEX = 7,
  VDS_ASYNCOUT_RECOVERPACK = 8,
  VDS_ASYNCOUT_REPLACEDISK = 9,
  VDS_ASYNCOUT_CREATEPARTITION = 10,
  VDS_ASYNCOUT_CLEAN = 11,
  VDS_ASYNCOUT_CREATELUN = 50,
  VDS_ASYNCOUT_ADDLUNPLEX = 52,
  VDS_ASYNCOUT_REMOVELUNPLEX = 53,
  VDS_ASYNCOUT_EXTENDLUN = 54,
  VDS_ASYNCOUT_SHRINKLUN = 55,
  VDS_ASYNCOUT_RECOVERLUN = 56,
  VDS_ASYNCOUT_LOGINTOTARGET = 60,
  VDS_ASYNCOUT_LOGOUTFROMTARGET = 61,
  VDS_ASYNCOUT_CREATETARGET = 62,
  VDS_ASYNCOUT_CREATEPORTALGROUP = 63,
  VDS_ASYNCOUT_DELETETARGET = 64,
  VDS_ASYNCOUT_ADDPORTAL = 65,
  VDS_ASYNCOUT_REMOVEPORTAL = 66,
  VDS_ASYNCOUT_DELETEPORTALGROUP = 67,
  VDS_ASYNCOUT_FORMAT = 101,
  VDS_ASYNCOUT_CREATE_VDISK = 200,
  VDS_ASYNCOUT_ATTACH_VDISK = 201,
  VDS_ASYNCOUT_COMPACT_VDISK = 202,
  VDS_ASYNCOUT_MERGE_VDISK = 203,
  VDS_ASYNCOUT_EXPAND_VDISK = 204
} VDS_ASYNC_OUTPUT_TYPE;

typedef enum _VDS_HEALTH {
  VDS_H_UNKNOWN = 0,
  VDS_H_HEALTHY = 1,
  VDS_H_REBUILDING = 2,
  VDS_H_STALE = 3,
  VDS_H_FAILING = 4,
  VDS_H_FAILING_REDUNDANCY = 5,
  VDS_H_FAILED_REDUNDANCY = 6,
  VDS_H_FAILED_REDUNDANCY_FAILING = 7,
  VDS_H_FAILED = 8,
  VDS_H_REPLACED = 9,
  VDS_H_PENDING_FAILURE = 10,
  VDS_H_DEGRADED = 11
} VDS_HEALTH;

typedef enum _VDS_TRANSITION_STATE {
  VDS_TS_UNKNOWN = 0,
  VDS_TS_STABLE = 1,
  VDS_TS_EXTENDING = 2,
  VDS_TS_SHRINKING = 3,
  VDS_TS_RECONFIGING = 4,
  VDS_TS_RESTRIPING = 5
} VDS_TRANSITION_STATE;

typedef enum _VDS_PATH_STATUS {
  VDS_MPS_UNKNOWN = 0,
  VDS_MPS_ONLINE = 1,
  VDS_MPS_FAILED = 5,
  VDS_MPS_STANDBY = 7
} VDS_PATH_STATUS;

typedef enum _VDS_LOADBALANCE_POLICY_ENUM {
  VDS_LBP_UNKNOWN = 0,
  VDS_LBP_FAILOVER = 1,
  VDS_LBP_ROUND_ROBIN = 2,
  VDS_LBP_ROUND_ROBIN_WITH_SUBSET = 3,
  VDS_LBP_DYN_LEAST_QUEUE_DEPTH = 4,
  VDS_LBP_WEIGHTED_PATHS = 5,
  VDS_LBP_LEAST_BLOCKS = 6,
  VDS_LBP_VENDOR_SPECIFIC = 7
} VDS_LOADBALANCE_POLICY_ENUM;

typedef enum _VDS_HWPROVIDER_TYPE {
  VDS_HWT_UNKNOWN = 0,
  VDS_HWT_PCI_RAID = 1,
  VDS_HWT_FIBRE_CHANNEL = 2,
  VDS_HWT_ISCSI = 3,
  VDS_HWT_SAS = 4,
  VDS_HWT_HYBRID = 5
} VDS_HWPROVIDER_TYPE;

typedef enum _VDS_SUB_SYSTEM_STATUS {
  VDS_SSS_UNKNOWN = 0,
  VDS_SSS_ONLINE = 1,
  VDS_SSS_NOT_READY = 2,
  VDS_SSS_OFFLINE = 4,
  VDS_SSS_FAILED = 5,
  VDS_SSS_PARTIALLY_MANAGED = 9
} VDS_SUB_SYSTEM_STATUS;

typedef enum _VDS_SUB_SYSTEM_FLAG {
  VDS_SF_LUN_MASKING_CAPABLE = 0x1,
  VDS_SF_LUN_PLEXING_CAPABLE = 0x2,
  VDS_SF_LUN_REMAPPING_CAPABLE = 0x4,
  VDS_SF_DRIVE_EXTENT_CAPABLE = 0x8,
  VDS_SF_HARDWARE_CHECKSUM_CAPABLE = 0x10,
  VDS_SF_RADIUS_CAPABLE = 0x20,
  VDS_SF_READ_BACK_VERIFY_CAPABLE = 0x40,
  VDS_SF_WRITE_THROUGH_CACHING_CAPABLE = 0x80,
  VDS_SF_SUPPORTS_FAULT_TOLERANT_LUNS = 0x200,
  VDS_SF_SUPPORTS_NON_FAULT_TOLERANT_LUNS = 0x400,
  VDS_SF_SUPPORTS_SIMPLE_LUNS = 0x800,
  VDS_SF_SUPPORTS_SPAN_LUNS = 0x1000,
  VDS_SF_SUPPORTS_STRIPE_LUNS = 0x2000,
  VDS_SF_SUPPORTS_MIRROR_LUNS = 0x4000,
  VDS_SF_SUPPORTS_PARITY_LUNS = 0x8000,
  VDS_SF_SUPPORTS_AUTH_CHAP = 0x10000,
  VDS_SF_SUPPORTS_AUTH_MUTUAL_CHAP = 0x20000,
  VDS_SF_SUPPORTS_SIMPLE_TARGET_CONFIG = 0x40000,
  VDS_SF_SUPPORTS_LUN_NUMBER = 0x80000,
  VDS_SF_SUPPORTS_MIRRORED_CACHE = 0x100000,
  VDS_SF_READ_CACHING_CAPABLE = 0x200000,
  VDS_SF_WRITE_CACHING_CAPABLE = 0x400000,
  VDS_SF_MEDIA_SCAN_CAPABLE = 0x800000,
  VDS_SF_CONSISTENCY_CHECK_CAPABLE = 0x1000000
} VDS_SUB_SYSTEM_FLAG;

typedef enum _VDS_CONTROLLER_STATUS {
  VDS_CS_UNKNOWN = 0,
  VDS_CS_ONLINE = 1,
  VDS_CS_NOT_READY = 2,
  VDS_CS_OFFLINE = 4,
  VDS_CS_FAILED = 5,
  VDS_CS_REMOVED = 8
} VDS_CONTROLLER_STATUS;

typedef enum _VDS_PORT_STATUS {
  VDS_PRS_UNKNOWN = 0,
  VDS_PRS_ONLINE = 1,
  VDS_PRS_NOT_READY = 2,
  VDS_PRS_OFFLINE = 4,
  VDS_PRS_FAILED = 5,
  VDS_PRS_REMOVED = 8
} VDS_PORT_STATUS;

typedef enum _VDS_DRIVE_STATUS {
  VDS_DRS_UNKNOWN = 0,
  VDS_DRS_ONLINE = 1,
  VDS_DRS_NOT_READY = 2,
  VDS_DRS_OFFLINE = 4,
  VDS_DRS_FAILED = 5,
  VDS_DRS_REMOVED = 8
} VDS_DRIVE_STATUS;

typedef enum _VDS_DRIVE_FLAG {
  VDS_DRF_HOTSPARE = 0x1,
  VDS_DRF_ASSIGNED = 0x2,
  VDS_DRF_UNASSIGNED = 0x4,
  VDS_DRF_HOTSPARE_IN_USE = 0x8,
  VDS_DRF_HOTSPARE_STANDBY = 0x10
} VDS_DRIVE_FLAG;

typedef enum _VDS_LUN_TYPE {
  VDS_LT_UNKNOWN = 0,
  VDS_LT_DEFAULT = 1,
  VDS_LT_FAULT_TOLERANT = 2,
  VDS_LT_NON_FAULT_TOLERANT = 3,
  VDS_LT_SIMPLE = 10,
  VDS_LT_SPAN = 11,
  VDS_LT_STRIPE = 12,
  VDS_LT_MIRROR = 13,
  VDS_LT_PARITY = 14,
  VDS_LT_RAID2 = 15,
  VDS_LT_RAID3 = 16,
  VDS_LT_RAID4 = 17,
  VDS_LT_RAID5 = 18,
  VDS_LT_RAID6 = 19,
  VDS_LT_RAID01 = 20,
  VDS_LT_RAID03 = 21,
  VDS_LT_RAID05 = 22,
  VDS_LT_RAID10 = 23,
  VDS_LT_RAID15 = 24,
  VDS_LT_RAID30 = 25,
  VDS_LT_RAID50 = 26,
  VDS_LT_RAID51 = 27,
  VDS_LT_RAID53 = 28,
  VDS_LT_RAID60 = 29,
  VDS_LT_RAID61 = 30
} VDS_LUN_TYPE;

typedef enum _VDS_LUN_STATUS {
  VDS_LS_UNKNOWN = 0,
  VDS_LS_ONLINE = 1,
  VDS_LS_NOT_READY = 2,
  VDS_LS_OFFLINE = 4,
  VDS_LS_FAILED = 5
} VDS_LUN_STATUS;

typedef enum _VDS_LUN_FLAG {
  VDS_LF_LBN_REMAP_ENABLED = 0x1,
  VDS_LF_READ_BACK_VERIFY_ENABLED = 0x2,
  VDS_LF_WRITE_THROUGH_CACHING_ENABLED = 0x4,
  VDS_LF_HARDWARE_CHECKSUM_ENABLED = 0x8,
  VDS_LF_READ_CACHE_ENABLED = 0x10,
  VDS_LF_WRITE_CACHE_ENABLED = 0x20,
  VDS_LF_MEDIA_SCAN_ENABLED = 0x40,
  VDS_LF_CONSISTENCY_CHECK_ENABLED = 0x80,
  VDS_LF_SNAPSHOT = 0x100
} VDS_LUN_FLAG;

typedef enum _VDS_LUN_PLEX_TYPE {
  VDS_LPT_UNKNOWN = 0,
  VDS_LPT_SIMPLE = VDS_LT_SIMPLE,
  VDS_LPT_SPAN = VDS_LT_SPAN,
  VDS_LPT_STRIPE = VDS_LT_STRIPE,
  VDS_LPT_PARITY = VDS_LT_PARITY,
  VDS_LPT_RAID2 = VDS_LT_RAID2,
  VDS_LPT_RAID3 = VDS_LT_RAID3,
  VDS_LPT_RAID4 = VDS_LT_RAID4,
  VDS_LPT_RAID5 = VDS_LT_RAID5,
  VDS_LPT_RAID6 = VDS_LT_RAID6,
  VDS_LPT_RAID03 = VDS_LT_RAID03,
  VDS_LPT_RAID05 = VDS_LT_RAID05,
  VDS_LPT_RAID10 = VDS_LT_RAID10,
  VDS_LPT_RAID15 = VDS_LT_RAID15,
  VDS_LPT_RAID30 = VDS_LT_RAID30,
  VDS_LPT_RAID50 = VDS_LT_RAID50,
  VDS_LPT_RAID53 = VDS_LT_RAID53,
  VDS_LPT_RAID60 = VDS_LT_RAID60
} VDS_LUN_PLEX_TYPE;

typedef enum _VDS_LUN_PLEX_STATUS {
  VDS_LPS_UNKNOWN = 0,
  VDS_LPS_ONLINE = 1,
  VDS_LPS_NOT_READY = 2,
  VDS_LPS_OFFLINE = 4,
  VDS_LPS_FAILED = 5
} VDS_LUN_PLEX_STATUS;

#define VDS_REBUILD_PRIORITY_MIN 0
#define VDS_REBUILD_PRIORITY_MAX 16

/* VDS_HINTS.ullHintMask bits */
#define VDS_HINT_FASTCRASHRECOVERYREQUIRED 0x1ULL
#define VDS_HINT_MOSTLYREADS 0x2ULL
#define VDS_HINT_OPTIMIZEFORSEQUENTIALREADS 0x4ULL
#define VDS_HINT_OPTIMIZEFORSEQUENTIALWRITES 0x8ULL
#define VDS_HINT_READBACKVERIFYENABLED 0x10ULL
#define VDS_HINT_REMAPENABLED 0x20ULL
#define VDS_HINT_WRITETHROUGHCACHINGENABLED 0x40ULL
#define VDS_HINT_HARDWARECHECKSUMENABLED 0x80ULL
#define VDS_HINT_ISYANKABLE 0x100ULL

/* ---- Structures ---- */
typedef struct _VDS_SERVICE_PROP {
  LPWSTR pwszVersion;
  ULONG ulFlags;
} VDS_SERVICE_PROP;

typedef struct _VDS_PROVIDER_PROP {
  VDS_OBJECT_ID id;
  LPWSTR pwszName;
  GUID guidVersionId;
  LPWSTR pwszVersion;
  VDS_PROVIDER_TYPE type;
  ULONG ulFlags;
  ULONG ulStripeSizeFlags;
  SHORT sRebuildPriority;
} VDS_PROVIDER_PROP;

/* The union arms are named types at namespace scope (vds.h declares them inside the anonymous
 * union, which ISO C++ does not allow); member names and layout are those of vds.h. */
struct lunsim_vds_async_cp {
  ULONGLONG ullOffset;
  VDS_OBJECT_ID volumeId;
};
struct lunsim_vds_async_cv {
  IUnknown* pVolumeUnk;
};
struct lunsim_vds_async_bvp {
  IUnknown* pVolumeUnk;
};
struct lunsim_vds_async_sv {
  ULONGLONG ullReclaimedBytes;
};
struct lunsim_vds_async_cl {
  IUnknown* pLunUnk;
};
struct lunsim_vds_async_ct {
  IUnknown* pTargetUnk;
};
struct lunsim_vds_async_cpg {
  IUnknown* pPortalGroupUnk;
};
struct lunsim_vds_async_cvd {
  IUnknown* pVDiskUnk;
};
typedef struct _VDS_ASYNC_OUTPUT {
  VDS_ASYNC_OUTPUT_TYPE type;
  union {
    lunsim_vds_async_cp cp;
    lunsim_vds_async_cv cv;
    lunsim_vds_async_bvp bvp;
    lunsim_vds_async_sv sv;
    lunsim_vds_async_cl cl;
    lunsim_vds_async_ct ct;
    lunsim_vds_async_cpg cpg;
    lunsim_vds_async_cvd cvd;
  };
} VDS_ASYNC_OUTPUT;

typedef struct _VDS_HINTS {
  ULONGLONG ullHintMask;
  ULONGLONG ullExpectedMaximumSize;
  ULONG ulOptimalReadSize;
  ULONG ulOptimalReadAlignment;
  ULONG ulOptimalWriteSize;
  ULONG ulOptimalWriteAlignment;
  ULONG ulMaximumDriveCount;
  ULONG ulStripeSize;
  BOOL bFastCrashRecoveryRequired;
  BOOL bMostlyReads;
  BOOL bOptimizeForSequentialReads;
  BOOL bOptimizeForSequentialWrites;
  BOOL bRemapEnabled;
  BOOL bReadBackVerifyEnabled;
  BOOL bWriteThroughCachingEnabled;
  BOOL bHardwareChecksumEnabled;
  BOOL bIsYankable;
  SHORT sRebuildPriority;
} VDS_HINTS, *PVDS_HINTS;

typedef struct _VDS_SUB_SYSTEM_PROP {
  VDS_OBJECT_ID id;
  LPWSTR pwszFriendlyName;
  LPWSTR pwszIdentification;
  ULONG ulFlags;
  ULONG ulStripeSizeFlags;
  VDS_SUB_SYSTEM_STATUS status;
  VDS_HEALTH health;
  SHORT sNumberOfInternalBuses;
  SHORT sMaxNumberOfSlotsEachBus;
  SHORT sMaxNumberOfControllers;
  SHORT sRebuildPriority;
} VDS_SUB_SYSTEM_PROP;

typedef struct _VDS_CONTROLLER_PROP {
  VDS_OBJECT_ID id;
  LPWSTR pwszFriendlyName;
  LPWSTR pwszIdentification;
  VDS_CONTROLLER_STATUS status;
  VDS_HEALTH health;
  SHORT sNumberOfPorts;
} VDS_CONTROLLER_PROP;

typedef struct _VDS_DRIVE_PROP {
  VDS_OBJECT_ID id;
  ULONGLONG ullSize;
  LPWSTR pwszFriendlyName;
  LPWSTR pwszIdentification;
  ULONG ulFlags;
  VDS_DRIVE_STATUS status;
  VDS_HEALTH health;
  SHORT sInternalBusNumber;
  SHORT sSlotNumber;
} VDS_DRIVE_PROP;

typedef struct _VDS_DRIVE_EXTENT {
  VDS_OBJECT_ID id;
  VDS_OBJECT_ID LunId;
  ULONGLONG ullSize;
  BOOL bUsed;
} VDS_DRIVE_EXTENT;

typedef struct _VDS_LUN_PROP {
  VDS_OBJECT_ID id;
  ULONGLONG ullSize;
  LPWSTR pwszFriendlyName;
  LPWSTR pwszIdentification;
  LPWSTR pwszUnmaskingList;
  ULONG ulFlags;
  VDS_LUN_TYPE type;
  VDS_LUN_STATUS status;
  VDS_HEALTH health;
  VDS_TRANSITION_STATE TransitionState;
  SHORT sRebuildPriority;
} VDS_LUN_PROP, *PVDS_LUN_PROP;

typedef struct _VDS_LUN_PLEX_PROP {
  VDS_OBJECT_ID id;
  ULONGLONG ullSize;
  VDS_LUN_PLEX_TYPE type;
  VDS_LUN_PLEX_STATUS status;
  VDS_HEALTH health;
  VDS_TRANSITION_STATE TransitionState;
  ULONG ulFlags;
  ULONG ulStripeSize;
  SHORT sRebuildPriority;
} VDS_LUN_PLEX_PROP;

typedef struct _VDS_PORT_PROP {
  VDS_OBJECT_ID id;
  LPWSTR pwszFriendlyName;
  LPWSTR pwszIdentification;
  VDS_PORT_STATUS status;
} VDS_PORT_PROP;

/* ---- GUIDs ---- */
LUNSIM_DEFINE_GUID(CLSID_VdsLoader, 0x9c38ed61, 0xd565, 0x4728, 0xae, 0xee, 0xc8, 0x09, 0x52, 0xf0, 0xec, 0xde);
LUNSIM_DEFINE_GUID(IID_IVdsServiceLoader, 0xe0393303, 0x90d4, 0x4a97, 0xab, 0x71, 0xe9, 0xb6, 0x71, 0xee, 0x27, 0x29);
LUNSIM_DEFINE_GUID(IID_IVdsService, 0x0818a8ef, 0x9ba9, 0x40d8, 0xa6, 0xf9, 0xe2, 0x28, 0x33, 0xcc, 0x77, 0x1e);
LUNSIM_DEFINE_GUID(IID_IEnumVdsObject, 0x118610b7, 0x8d94, 0x4030, 0xb5, 0xb8, 0x50, 0x08, 0x89, 0x78, 0x8e, 0x4e);
LUNSIM_DEFINE_GUID(IID_IVdsAsync, 0xd5d23b6d, 0x5a55, 0x4492, 0x98, 0x89, 0x39, 0x7a, 0x3c, 0x2d, 0x2d, 0xbc);
LUNSIM_DEFINE_GUID(IID_IVdsProvider, 0x10c5e575, 0x7984, 0x4e81, 0xa5, 0x6b, 0x43, 0x1f, 0x5f, 0x92, 0xae, 0x42);
LUNSIM_DEFINE_GUID(IID_IVdsHwProvider, 0xd99bdaae, 0xb13a, 0x4178, 0x9f, 0xdb, 0xe2, 0x7f, 0x16, 0xb4, 0x60, 0x3e);
LUNSIM_DEFINE_GUID(IID_IVdsSubSystem, 0x6fcee2d3, 0x6d90, 0x4f91, 0x80, 0xe2, 0xa5, 0xc7, 0xca, 0xac, 0xa9, 0xd8);
LUNSIM_DEFINE_GUID(IID_IVdsController, 0xcb53d96e, 0xdffb, 0x474a, 0xa0, 0x78, 0x79, 0x0d, 0x1e, 0x2b, 0xc0, 0x82);
LUNSIM_DEFINE_GUID(IID_IVdsDrive, 0xff24efa4, 0xaade, 0x4b6b, 0x89, 0x8b, 0xea, 0xa6, 0xa2, 0x08, 0x87, 0xc7);
LUNSIM_DEFINE_GUID(IID_IVdsLun, 0x3540a9c7, 0xe60f, 0x4111, 0xa8, 0x40, 0x8b, 0xba, 0x6c, 0x2c, 0x83, 0xd8);
LUNSIM_DEFINE_GUID(IID_IVdsLunPlex, 0x0ee1a790, 0x5d2e, 0x4abb, 0x8c, 0x99, 0xc4, 0x81, 0xe8, 0xbe, 0x21, 0x38);

/* ---- Interfaces (vtable order as in vds.h / vdshwprv.h) ---- */
struct IEnumVdsObject : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, IUnknown** ppObjectArray, ULONG* pcFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset() = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumVdsObject** ppEnum) = 0;

protected:
  ~IEnumVdsObject() = default;
};

struct IVdsAsync : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Cancel() = 0;
  virtual HRESULT STDMETHODCALLTYPE Wait(HRESULT* pHrResult, VDS_ASYNC_OUTPUT* pAsyncOut) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* pHrResult, ULONG* pulPercentCompleted) = 0;

protected:
  ~IVdsAsync() = default;
};

struct IVdsServiceLoader : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE LoadService(LPWSTR pwszMachineName, IVdsService** ppService) = 0;

protected:
  ~IVdsServiceLoader() = default;
};

struct IVdsService : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE IsServiceReady() = 0;
  virtual HRESULT STDMETHODCALLTYPE WaitForServiceReady() = 0;
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_SERVICE_PROP* pServiceProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryProviders(DWORD masks, IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryMaskedDisks(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryUnallocatedDisks(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetObject(VDS_OBJECT_ID ObjectId, VDS_OBJECT_TYPE type, IUnknown** ppObjectUnk) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryDriveLetters(WCHAR wcFirstLetter, DWORD count,
                                                      VDS_DRIVE_LETTER_PROP* pDriveLetterPropArray) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryFileSystemTypes(VDS_FILE_SYSTEM_TYPE_PROP** ppFileSystemTypeProps,
                                                         LONG* plNumberOfFileSystems) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reenumerate() = 0;
  virtual HRESULT STDMETHODCALLTYPE Refresh() = 0;
  virtual HRESULT STDMETHODCALLTYPE CleanupObsoleteMountPoints() = 0;
  virtual HRESULT STDMETHODCALLTYPE Advise(IVdsAdviseSink* pSink, DWORD* pdwCookie) = 0;
  virtual HRESULT STDMETHODCALLTYPE Unadvise(DWORD dwCookie) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reboot() = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFlags(ULONG ulFlags) = 0;
  virtual HRESULT STDMETHODCALLTYPE ClearFlags(ULONG ulFlags) = 0;

protected:
  ~IVdsService() = default;
};

struct IVdsProvider : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_PROVIDER_PROP* pProviderProp) = 0;

protected:
  ~IVdsProvider() = default;
};

struct IVdsHwProvider : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE QuerySubSystems(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reenumerate() = 0;
  virtual HRESULT STDMETHODCALLTYPE Refresh() = 0;

protected:
  ~IVdsHwProvider() = default;
};

struct IVdsSubSystem : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_SUB_SYSTEM_PROP* pSubSystemProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetProvider(IVdsProvider** ppProvider) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryControllers(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryLuns(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryDrives(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetDrive(SHORT sBusNumber, SHORT sSlotNumber, IVdsDrive** ppDrive) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reenumerate() = 0;
  virtual HRESULT STDMETHODCALLTYPE SetControllerStatus(VDS_OBJECT_ID* pOnlineControllerIdArray,
                                                        LONG lNumberOfOnlineControllers,
                                                        VDS_OBJECT_ID* pOfflineControllerIdArray,
                                                        LONG lNumberOfOfflineControllers) = 0;
  virtual HRESULT STDMETHODCALLTYPE CreateLun(VDS_LUN_TYPE type, ULONGLONG ullSizeInBytes, VDS_OBJECT_ID* pDriveIdArray,
                                              LONG lNumberOfDrives, LPWSTR pwszUnmaskingList, VDS_HINTS* pHints,
                                              IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE ReplaceDrive(VDS_OBJECT_ID DriveToBeReplaced, VDS_OBJECT_ID ReplacementDrive) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetStatus(VDS_SUB_SYSTEM_STATUS status) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryMaxLunCreateSize(VDS_LUN_TYPE type, VDS_OBJECT_ID* pDriveIdArray,
                                                          LONG lNumberOfDrives, VDS_HINTS* pHints,
                                                          ULONGLONG* pullMaxLunSize) = 0;

protected:
  ~IVdsSubSystem() = default;
};

struct IVdsController : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_CONTROLLER_PROP* pControllerProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** ppSubSystem) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetPortProperties(SHORT sPortNumber, VDS_PORT_PROP* pPortProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE FlushCache() = 0;
  virtual HRESULT STDMETHODCALLTYPE InvalidateCache() = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset() = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryAssociatedLuns(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetStatus(VDS_CONTROLLER_STATUS status) = 0;

protected:
  ~IVdsController() = default;
};

struct IVdsDrive : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_DRIVE_PROP* pDriveProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** ppSubSystem) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryExtents(VDS_DRIVE_EXTENT** ppExtentArray, LONG* plNumberOfExtents) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFlags(ULONG ulFlags) = 0;
  virtual HRESULT STDMETHODCALLTYPE ClearFlags(ULONG ulFlags) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetStatus(VDS_DRIVE_STATUS status) = 0;

protected:
  ~IVdsDrive() = default;
};

struct IVdsLun : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_LUN_PROP* pLunProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetSubSystem(IVdsSubSystem** ppSubSystem) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetIdentificationData(VDS_LUN_INFORMATION* pLunInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryActiveControllers(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE Extend(ULONGLONG ullNumberOfBytesToAdd, VDS_OBJECT_ID* pDriveIdArray,
                                           LONG lNumberOfDrives, IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE Shrink(ULONGLONG ullNumberOfBytesToRemove, IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryPlexes(IEnumVdsObject** ppEnum) = 0;
  virtual HRESULT STDMETHODCALLTYPE AddPlex(VDS_OBJECT_ID lunId, IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE RemovePlex(VDS_OBJECT_ID plexId, IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE Recover(IVdsAsync** ppAsync) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetMask(LPWSTR pwszUnmaskingList) = 0;
  virtual HRESULT STDMETHODCALLTYPE Delete() = 0;
  virtual HRESULT STDMETHODCALLTYPE AssociateControllers(VDS_OBJECT_ID* pActiveControllerIdArray,
                                                         LONG lNumberOfActiveControllers,
                                                         VDS_OBJECT_ID* pInactiveControllerIdArray,
                                                         LONG lNumberOfInactiveControllers) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryHints(VDS_HINTS* pHints) = 0;
  virtual HRESULT STDMETHODCALLTYPE ApplyHints(VDS_HINTS* pHints) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetStatus(VDS_LUN_STATUS status) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryMaxLunExtendSize(VDS_OBJECT_ID* pDriveIdArray, LONG lNumberOfDrives,
                                                          ULONGLONG* pullMaxBytesToBeAdded) = 0;

protected:
  ~IVdsLun() = default;
};

struct IVdsLunPlex : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetProperties(VDS_LUN_PLEX_PROP* pPlexProp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetLun(IVdsLun** ppLun) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryExtents(VDS_DRIVE_EXTENT** ppExtentArray, LONG* plNumberOfExtents) = 0;
  virtual HRESULT STDMETHODCALLTYPE QueryHints(VDS_HINTS* pHints) = 0;
  virtual HRESULT STDMETHODCALLTYPE ApplyHints(VDS_HINTS* pHints) = 0;

protected:
  ~IVdsLunPlex() = default;
};

#endif /* __cplusplus */

#endif /* LUNSIM_COMPAT_VDS_H */
