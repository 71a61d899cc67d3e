// "Working with Enumeration Objects", a sample of Microsoft's Virtual Disk Service
// documentation:
//   https://learn.microsoft.com/windows/win32/vds/working-with-enumeration-objects
// RECONSTRUCTED, not Microsoft's text (lunsim's repository carries no third-party text). It
// rebuilds the page's GetControllerById from its description and keeps every construct that
// decides whether the sample compiles: <windows.h> then "vds.h" and <stdio.h>, a `_SafeRelease`
// brace macro, parameters annotated `IN`, `IN CONST` and `OUT`, VDS_CONTROLLER_PROP, a loop of
// IEnumVdsObject::Next(1, ...) ending on S_FALSE, QueryInterface with a C-style `(void **)`
// cast, IsEqualGUID on the VDS_OBJECT_ID, CoTaskMemFree of the property strings, ZeroMemory,
// BOOL with TRUE/FALSE. As on the page, running off the end of the enumeration (no such
// controller) gives E_INVALIDARG.
// Built unchanged by tests/compat/CMakeLists.txt; keep it so.
#include <windows.h>
#include "vds.h"
#include <stdio.h>

//
// Releases an interface pointer unless it is NULL, then clears it.
//
#define _SafeRelease(x) { if (NULL != x) { x->Release(); x = NULL; } }

HRESULT GetControllerById(
    IN IVdsSubSystem        *pSubsystem,
    IN CONST VDS_OBJECT_ID  *pControllerId,
    OUT IVdsController      **ppController)
{
    IEnumVdsObject      *pEnum       = NULL;
    IUnknown            *pUnknown    = NULL;
    IVdsController      *pController = NULL;
    VDS_CONTROLLER_PROP controllerProp;
    ULONG               ulFetched    = 0;
    BOOL                bFound       = FALSE;
    HRESULT             hResult      = S_OK;

    ZeroMemory(&controllerProp, sizeof(VDS_CONTROLLER_PROP));

    hResult = pSubsystem->QueryControllers(&pEnum);

    if (SUCCEEDED(hResult) && (!pEnum))
    {
        hResult = E_UNEXPECTED; // the provider said S_OK but gave no enumerator
    }

    if (SUCCEEDED(hResult))
    {
        // One controller at a time until the one with the given id.
        while (!bFound)
        {
            ulFetched = 0;
            hResult = pEnum->Next(1, &pUnknown, &ulFetched);

            if (hResult == S_FALSE)
            {
                hResult = E_INVALIDARG; // the end, and no such controller
                break;
            }

            if (SUCCEEDED(hResult) && (!pUnknown))
            {
                hResult = E_UNEXPECTED; // S_OK without an object
            }

            if (SUCCEEDED(hResult))
            {
                hResult = pUnknown->QueryInterface(IID_IVdsController,
                                                   (void **) &pController);
            }

            if (SUCCEEDED(hResult) && (!pController))
            {
                hResult = E_UNEXPECTED; // S_OK without an interface
            }

            if (SUCCEEDED(hResult))
            {
                hResult = pController->GetProperties(&controllerProp);
            }

            if (SUCCEEDED(hResult)
                && IsEqualGUID(*pControllerId, controllerProp.id))
            {
                bFound = TRUE;
            }
            else
            {
                _SafeRelease(pController);
            }

            _SafeRelease(pUnknown);

            // The property strings are the caller's to free.
            if (NULL != controllerProp.pwszIdentification)
            {
                CoTaskMemFree(controllerProp.pwszIdentification);
            }

            ZeroMemory(&controllerProp, sizeof(VDS_CONTROLLER_PROP));
        }
    }

    if (SUCCEEDED(hResult))
    {
        *ppController = pController;
    }

    _SafeRelease(pEnum);
    return hResult;
}
