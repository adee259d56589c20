# gmp.ifma: the radix-2^52 exponentiation engine (backends/gmp/gmp_r52.c,
# gmp_ifma.c) against mpz_powm and mpn_sec_powm, 100000 inputs per prime
# size (5000 in a sanitizer build, there for memory errors: the plain build
# checks the full count), seeded by RSALAB_TEST_SEED (printed).
# Exits 77 (skipped) on a CPU without AVX-512 IFMA, after checking the
# portable kernel.
add_executable(test_gmp_ifma ${CMAKE_CURRENT_LIST_DIR}/test_gmp_ifma.c)
target_include_directories(test_gmp_ifma PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(test_gmp_ifma PRIVATE rlab_backends rlab_base GMP::gmp)
if(RSALAB_SANITIZE)
  target_compile_definitions(test_gmp_ifma PRIVATE RSALAB_TEST_SANITIZE=1)
endif()
rsalab_warnings(test_gmp_ifma)
add_test(NAME gmp.ifma COMMAND test_gmp_ifma)
set_tests_properties(gmp.ifma PROPERTIES TIMEOUT 1800 SKIP_RETURN_CODE 77 COST 30)

# time_gmp_engine: a measuring tool, not a test (timing never decides
# pass/fail): the raw private operation of gmp against OpenSSL's on one key,
# medians of per-thread CPU time.  Built when the openssl backend is.
if("openssl" IN_LIST RSALAB_BACKENDS)
  add_executable(time_gmp_engine ${CMAKE_CURRENT_LIST_DIR}/time_gmp_engine.c)
  target_include_directories(time_gmp_engine PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(time_gmp_engine PRIVATE rlab_backends rlab_base)
  rsalab_warnings(time_gmp_engine)
endif()
