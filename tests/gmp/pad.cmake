# test_gmp_pad: the gmp backend's hashes, HMAC/HKDF over them, MGF1, OAEP,
# PSS and PKCS #1 v1.5 encodings: one binary from test_gmp_hash.c (hashes,
# HMAC, HKDF), test_gmp_pad.c (encodings, main) and test_gmp_padutil.c.
#
# The padding sources are compiled into the test directly unless the gmp
# backend library already lists them (then they come from it, once).
set(RLAB_GMP_PAD_SOURCES
  gmp_sha1.c gmp_sha256.c gmp_sha512.c gmp_hash.c gmp_mgf1.c gmp_oaep.c
  gmp_pss.c gmp_pkcs1.c gmp_rand.c)
get_target_property(_gmp_srcs_raw rlab_backend_gmp SOURCES)
set(_gmp_srcs "")
foreach(f ${_gmp_srcs_raw})
  get_filename_component(n ${f} NAME)
  list(APPEND _gmp_srcs ${n})
endforeach()
set(_pad_own "")
foreach(f ${RLAB_GMP_PAD_SOURCES})
  if(NOT f IN_LIST _gmp_srcs)
    list(APPEND _pad_own ${PROJECT_SOURCE_DIR}/backends/gmp/${f})
  endif()
endforeach()

add_executable(test_gmp_pad ${CMAKE_CURRENT_LIST_DIR}/test_gmp_pad.c
               ${CMAKE_CURRENT_LIST_DIR}/test_gmp_hash.c
               ${CMAKE_CURRENT_LIST_DIR}/test_gmp_padutil.c ${_pad_own})
target_include_directories(test_gmp_pad PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(test_gmp_pad PRIVATE
  RLAB_VECTOR_DIR="${RSALAB_VECTOR_DIR}")
target_link_libraries(test_gmp_pad PRIVATE rlab_backend_gmp rlab_core rlab_base
                      PkgConfig::CHECK)
rsalab_warnings(test_gmp_pad)
add_test(NAME gmp.pad COMMAND test_gmp_pad)
set_tests_properties(gmp.pad PROPERTIES TIMEOUT 900)
