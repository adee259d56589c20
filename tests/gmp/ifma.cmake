# gmp.ifma: the radix-2^52 exponentiation engine (backends/gmp/gmp_r52.c,
# gmp_ifma.c) against mpz_powm and mpn_sec_powm, 100000 inputs per prime
# size (20000 in a sanitizer build), seeded by RSALAB_TEST_SEED (printed).
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
set_tests_properties(gmp.ifma PROPERTIES TIMEOUT 1800 SKIP_RETURN_CODE 77)
