# FindBearSSL: BearSSL (Debian's libbearssl-dev ships no pkg-config or CMake
# package file, and BearSSL has no version macro).
#
# Provides BearSSL_FOUND and the imported target BearSSL::bearssl.

find_path(BearSSL_INCLUDE_DIR bearssl.h)
find_library(BearSSL_LIBRARY bearssl)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BearSSL
  REQUIRED_VARS BearSSL_INCLUDE_DIR BearSSL_LIBRARY)

# The backend needs br_rsa_keygen, which first appeared in BearSSL 0.6.
if(BearSSL_FOUND AND EXISTS "${BearSSL_INCLUDE_DIR}/bearssl_rsa.h")
  file(STRINGS "${BearSSL_INCLUDE_DIR}/bearssl_rsa.h" _bear_keygen REGEX "br_rsa_keygen_get_default")
elseif(BearSSL_FOUND AND EXISTS "${BearSSL_INCLUDE_DIR}/bearssl/bearssl_rsa.h")
  file(STRINGS "${BearSSL_INCLUDE_DIR}/bearssl/bearssl_rsa.h" _bear_keygen REGEX "br_rsa_keygen_get_default")
endif()
if(BearSSL_FOUND AND NOT _bear_keygen)
  message(STATUS "BearSSL found, but older than 0.6 (no br_rsa_keygen)")
  set(BearSSL_FOUND FALSE)
endif()

if(BearSSL_FOUND AND NOT TARGET BearSSL::bearssl)
  add_library(BearSSL::bearssl UNKNOWN IMPORTED)
  set_target_properties(BearSSL::bearssl PROPERTIES
    IMPORTED_LOCATION "${BearSSL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${BearSSL_INCLUDE_DIR}")
endif()
mark_as_advanced(BearSSL_INCLUDE_DIR BearSSL_LIBRARY)
