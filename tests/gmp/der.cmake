# gmp.der: the gmp backend's strict DER/PEM reader and writer
# (backends/gmp/gmp_der.h).  The sources are compiled into the test directly,
# so it runs whatever state the rest of the gmp backend is in; fixtures were
# written once by the openssl CLI (data/gen.sh), so no CLI is needed here.
add_executable(test_gmp_der
  test_gmp_der.c
  ${PROJECT_SOURCE_DIR}/backends/gmp/gmp_asn1.c
  ${PROJECT_SOURCE_DIR}/backends/gmp/gmp_pem.c
  ${PROJECT_SOURCE_DIR}/backends/gmp/gmp_der_key.c)
target_include_directories(test_gmp_der PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(test_gmp_der PRIVATE
  RLAB_GMPDER_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data")
target_link_libraries(test_gmp_der PRIVATE rlab_backends rlab_base PkgConfig::CHECK)
rsalab_warnings(test_gmp_der)
add_test(NAME gmp.der COMMAND test_gmp_der)
set_tests_properties(gmp.der PROPERTIES TIMEOUT 600)
