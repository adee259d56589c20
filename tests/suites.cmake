# libcheck suites, written once and run over every backend in RSALAB_BACKENDS.
#
# One binary per suite (suite_<name>), taking the backend as argv[1] and an
# optional seed (argv[2] or RSALAB_TEST_SEED); one ctest entry per
# (suite, backend): roundtrip.openssl, keys.mbedtls, ...  The cross suite runs
# once per ordered pair of backends: cross.openssl-mbedtls, ...  The openssl
# command-line interop script runs once per backend when the tool is found.
# A binary whose every case was a skip exits 77, shown by ctest as skipped.

add_library(rlab_testutil STATIC testutil.c testkeys.c)
target_link_libraries(rlab_testutil PUBLIC rlab_core PkgConfig::CHECK)
rsalab_warnings(rlab_testutil)

# Per-test timeouts are generous on purpose: they only catch hangs (timing
# never decides pass/fail), and sanitizer builds are several times slower.
set(RLAB_SUITES roundtrip keys negative keygen symmetric stream)
set(RLAB_SUITE_EXTRA_negative test_negative_params.c test_negative_limits.c
    test_negative_keys.c)
foreach(suite ${RLAB_SUITES})
  add_executable(suite_${suite} test_${suite}.c ${RLAB_SUITE_EXTRA_${suite}})
  target_link_libraries(suite_${suite} PRIVATE rlab_testutil)
  rsalab_warnings(suite_${suite})
  foreach(be ${RSALAB_BACKENDS})
    add_test(NAME ${suite}.${be} COMMAND suite_${suite} ${be})
    set_tests_properties(${suite}.${be} PROPERTIES
      TIMEOUT 1200 SKIP_RETURN_CODE 77 LABELS "suite;${suite};${be}")
  endforeach()
endforeach()

# The stream suite counts allocations (no malloc per chunk) by wrapping the
# allocator for everything linked into it statically.
target_link_options(suite_stream PRIVATE -Wl,--wrap=malloc -Wl,--wrap=calloc
                    -Wl,--wrap=realloc)

# Multi-prime keys (RFC 8017 3.2) over every backend, from the committed
# keys in tests/data/multiprime.
add_executable(suite_multiprime test_multiprime.c)
target_link_libraries(suite_multiprime PRIVATE rlab_testutil)
target_compile_definitions(suite_multiprime PRIVATE
  RLAB_MP_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data/multiprime")
rsalab_warnings(suite_multiprime)
foreach(be ${RSALAB_BACKENDS})
  add_test(NAME multiprime.${be} COMMAND suite_multiprime ${be})
  set_tests_properties(multiprime.${be} PROPERTIES
    TIMEOUT 1200 SKIP_RETURN_CODE 77 LABELS "suite;multiprime;${be}")
endforeach()

add_executable(suite_cross test_cross.c)
target_link_libraries(suite_cross PRIVATE rlab_testutil)
rsalab_warnings(suite_cross)
foreach(a ${RSALAB_BACKENDS})
  foreach(b ${RSALAB_BACKENDS})
    if(NOT a STREQUAL b)
      add_test(NAME cross.${a}-${b} COMMAND suite_cross ${a} ${b})
      set_tests_properties(cross.${a}-${b} PROPERTIES
        TIMEOUT 1200 SKIP_RETURN_CODE 77 LABELS "suite;cross;${a};${b}")
    endif()
  endforeach()
endforeach()

if(OPENSSL_CLI)
  foreach(be ${RSALAB_BACKENDS})
    add_test(NAME cli.${be}
             COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli_openssl.sh
                     $<TARGET_FILE:rsalab> ${be} ${OPENSSL_CLI})
    set_tests_properties(cli.${be} PROPERTIES
      TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS "cli;${be}")
  endforeach()
  # RSASSA-PSS with SHAKE (RFC 8702) made by each backend, checked with
  # Python's hashlib over the openssl tool's raw RSA: pss-shake.<backend>.
  find_program(PYTHON3 python3)
  if(PYTHON3)
    foreach(be ${RSALAB_BACKENDS})
      add_test(NAME pss-shake.${be}
               COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/pss_shake_check.py
                       $<TARGET_FILE:rsalab> ${be} ${OPENSSL_CLI})
      set_tests_properties(pss-shake.${be} PROPERTIES
        TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS "cli;${be}")
    endforeach()
  endif()
else()
  message(STATUS "openssl command-line tool not found: cli.* interop tests left out")
endif()

# The error paths under valgrind memcheck (uninitialised reads, leaks) as in
# Monocypher's test script; the sanitizer build covers the same ground with
# ASan, so these run only in the plain build.  Label "memcheck".  The key
# suite runs on 1024-bit keys only here (RSALAB_TEST_SMALL_KEYS=1, see
# test_keys.c): the same paths, without the minutes valgrind spends in
# 2048-bit key generation and OpenSSL's primality checks on import.
if(VALGRIND AND NOT RSALAB_SANITIZE)
  foreach(suite negative keys symmetric)
    foreach(be ${RSALAB_BACKENDS})
      add_test(NAME memcheck.${suite}.${be}
               COMMAND ${VALGRIND} -q --error-exitcode=1 --leak-check=full
                       --errors-for-leak-kinds=definite
                       $<TARGET_FILE:suite_${suite}> ${be})
      set_tests_properties(memcheck.${suite}.${be} PROPERTIES
        TIMEOUT 1800 SKIP_RETURN_CODE 77 LABELS "memcheck;${suite};${be}"
        ENVIRONMENT "RSALAB_TEST_SMALL_KEYS=1")
    endforeach()
  endforeach()
endif()

# The gmp backend's private operation has two engines (backends/gmp/gmp_r52.h):
# the default takes AVX-512 IFMA where the CPU has it; these rerun its suites
# on GMP's mpn_sec_powm (RSALAB_GMP_ENGINE=mpn): roundtrip.gmp-mpn, ...
if("gmp" IN_LIST RSALAB_BACKENDS)
  foreach(suite roundtrip negative)
    add_test(NAME ${suite}.gmp-mpn COMMAND suite_${suite} gmp)
    set_tests_properties(${suite}.gmp-mpn PROPERTIES ENVIRONMENT RSALAB_GMP_ENGINE=mpn
      TIMEOUT 1200 SKIP_RETURN_CODE 77 LABELS "suite;${suite};gmp")
  endforeach()
  if("openssl" IN_LIST RSALAB_BACKENDS)
    add_test(NAME cross.gmp-openssl-mpn COMMAND suite_cross gmp openssl)
    add_test(NAME cross.openssl-gmp-mpn COMMAND suite_cross openssl gmp)
    set_tests_properties(cross.gmp-openssl-mpn cross.openssl-gmp-mpn PROPERTIES
      ENVIRONMENT RSALAB_GMP_ENGINE=mpn TIMEOUT 1200 SKIP_RETURN_CODE 77
      LABELS "suite;cross;gmp;openssl")
  endif()
endif()
